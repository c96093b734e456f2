package crew.tunnel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import crew.model.device.DeviceRoute;

/**
 * What a running tunnel session publishes about itself in its folder ($CREW_HOME/tunnel/SESSION/session.json), so
 * other processes ({@code crew tunnel status}, {@code disconnect}, {@code attack}, the workbench) can find it.
 *
 * @param sessionId      the session
 * @param ownerPid       the CREW process that runs it
 * @param ownerAlive     whether that process still runs (computed when read)
 * @param profile        the profile it was started from
 * @param namespace      the network namespace of the device, or empty for this host
 * @param state          CREW's state
 * @param openvpnState   openvpn's last state
 * @param detail         what the state is about (or the error)
 * @param since          when the state began (ISO-8601)
 * @param device         the tunnel device, once known
 * @param enforced       whether the engine remediates
 * @param mode           enforcement mode
 * @param netGateway     the LAN gateway the device used before the tunnel, once known
 * @param lanInterface   the interface of that gateway
 * @param protectedRoutes the routes the session installed and protects, as text
 * @param control        the session's control socket (how another process ends it), or empty
 */
public record SessionRecord(String sessionId, long ownerPid, boolean ownerAlive, String profile, String namespace, String state,
        String openvpnState, String detail, String since, String device, boolean enforced, String mode, String netGateway, String lanInterface,
        List<String> protectedRoutes, String control) {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    static final String FILE = "session.json";

    /** A record without a control socket (as written by a CREW that had none). */
    public SessionRecord(String sessionId, long ownerPid, boolean ownerAlive, String profile, String namespace, String state, String openvpnState,
            String detail, String since, String device, boolean enforced, String mode, String netGateway, String lanInterface,
            List<String> protectedRoutes) {
        this(sessionId, ownerPid, ownerAlive, profile, namespace, state, openvpnState, detail, since, device, enforced, mode, netGateway,
                lanInterface, protectedRoutes, "");
    }

    /** The record of a session now (TunnelSession publishes it on every state change). */
    static SessionRecord of(TunnelSession session) {
        TunnelStatus s = session.status();
        TunnelOptions o = session.options();
        return new SessionRecord(o.sessionId(), ProcessHandle.current().pid(), true, session.profile().source().toString(),
                o.namespace() == null ? "" : o.namespace(), s.state().name(), s.openvpnState(), s.detail(), s.since().toString(),
                s.configuration().map(PushedConfiguration::device).orElse(""), s.enforced(), o.mode().name().toLowerCase(),
                s.configuration().flatMap(PushedConfiguration::netGateway).map(Object::toString).orElse(""),
                session.lanRoute().map(DeviceRoute::interfaceName).orElse(""), s.protectedRoutes().stream().map(DeviceRoute::toString).toList(),
                session.controlSocket().map(Path::toString).orElse(""));
    }

    /** Writes atomically into {@code directory}. */
    public void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", sessionId);
        m.put("ownerPid", ownerPid);
        m.put("profile", profile);
        m.put("namespace", namespace);
        m.put("state", state);
        m.put("openvpnState", openvpnState);
        m.put("detail", detail);
        m.put("since", since);
        m.put("device", device);
        m.put("enforced", enforced);
        m.put("mode", mode);
        m.put("netGateway", netGateway);
        m.put("lanInterface", lanInterface);
        m.put("protectedRoutes", protectedRoutes);
        m.put("control", control);
        Path tmp = directory.resolve(FILE + ".tmp");
        Files.writeString(tmp, GSON.toJson(m));
        Files.move(tmp, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static SessionRecord read(Path file) throws IOException {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            long pid = o.get("ownerPid").getAsLong();
            List<String> routes = new ArrayList<>();
            o.getAsJsonArray("protectedRoutes").forEach(r -> routes.add(r.getAsString()));
            return new SessionRecord(text(o, "sessionId"), pid, ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), text(o, "profile"),
                    text(o, "namespace"), text(o, "state"), text(o, "openvpnState"), text(o, "detail"), text(o, "since"), text(o, "device"),
                    o.has("enforced") && o.get("enforced").getAsBoolean(), text(o, "mode"), text(o, "netGateway"), text(o, "lanInterface"), routes,
                    text(o, "control"));
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a tunnel session file CREW can read: " + e.getMessage(), e);
        }
    }

    /**
     * Asks the session's process to end this session (its engine restores the table) and waits for the answer,
     * without signalling the process, which may run other things (the workbench, a lab). Returns the restore
     * problems the session reported; an IOException when it has no control socket or does not answer in time.
     */
    public List<String> requestDisconnect(Duration timeout) throws IOException {
        if (control.isEmpty()) {
            throw new IOException("session " + sessionId + " (process " + ownerPid + ") has no control socket: end it with crew tunnel disconnect "
                    + sessionId);
        }
        return SessionControl.requestDisconnect(Path.of(control), timeout);
    }

    /** The live sessions (owner running) whose device is {@code namespace} (empty: this host). */
    public static List<SessionRecord> runningIn(String namespace) throws IOException {
        String ns = namespace == null ? "" : namespace;
        return list().stream().filter(r -> r.ownerAlive() && r.namespace().equals(ns)).toList();
    }

    private static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : "";
    }

    /** Sessions recorded under $CREW_HOME/tunnel, live or left by a process that is gone. */
    public static List<SessionRecord> list() throws IOException {
        List<SessionRecord> out = new ArrayList<>();
        Path root = TunnelOptions.crewHome().resolve("tunnel");
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            for (Path d : s) {
                if (Files.exists(d.resolve(FILE))) {
                    out.add(read(d.resolve(FILE)));
                }
            }
        }
        out.sort(Comparator.comparing(SessionRecord::sessionId));
        return out;
    }
}
