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

import crew.enforce.OwnerProcess;
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
 * @param owner          the owner process with its start, so that a pid given to another process later is not taken
 *                       for the owner (signalled, or counted as a running session)
 */
public record SessionRecord(String sessionId, long ownerPid, boolean ownerAlive, String profile, String namespace, String state,
        String openvpnState, String detail, String since, String device, boolean enforced, String mode, String netGateway, String lanInterface,
        List<String> protectedRoutes, String control, OwnerProcess owner) {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    static final String FILE = "session.json";

    /** A record without a control socket (as written by a CREW that had none). */
    public SessionRecord(String sessionId, long ownerPid, boolean ownerAlive, String profile, String namespace, String state, String openvpnState,
            String detail, String since, String device, boolean enforced, String mode, String netGateway, String lanInterface,
            List<String> protectedRoutes) {
        this(sessionId, ownerPid, ownerAlive, profile, namespace, state, openvpnState, detail, since, device, enforced, mode, netGateway,
                lanInterface, protectedRoutes, "");
    }

    /** A record whose owner is known by its pid alone (as a CREW before owner start times wrote them). */
    public SessionRecord(String sessionId, long ownerPid, boolean ownerAlive, String profile, String namespace, String state, String openvpnState,
            String detail, String since, String device, boolean enforced, String mode, String netGateway, String lanInterface,
            List<String> protectedRoutes, String control) {
        this(sessionId, ownerPid, ownerAlive, profile, namespace, state, openvpnState, detail, since, device, enforced, mode, netGateway,
                lanInterface, protectedRoutes, control, new OwnerProcess(ownerPid, -1, -1));
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
                session.controlSocket().map(Path::toString).orElse(""), OWNER);
    }

    /** This process, as records name it. */
    private static final OwnerProcess OWNER = OwnerProcess.current();

    /** Writes atomically into {@code directory}. */
    public void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sessionId", sessionId);
        m.put("ownerPid", ownerPid);
        m.put("ownerStartTicks", owner.startTicks());
        m.put("ownerStartMs", owner.startMillis());
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
            OwnerProcess owner = new OwnerProcess(pid, o.has("ownerStartTicks") ? o.get("ownerStartTicks").getAsLong() : -1,
                    o.has("ownerStartMs") ? o.get("ownerStartMs").getAsLong() : -1);
            List<String> routes = new ArrayList<>();
            o.getAsJsonArray("protectedRoutes").forEach(r -> routes.add(r.getAsString()));
            return new SessionRecord(text(o, "sessionId"), pid, owner.isAlive(), text(o, "profile"),
                    text(o, "namespace"), text(o, "state"), text(o, "openvpnState"), text(o, "detail"), text(o, "since"), text(o, "device"),
                    o.has("enforced") && o.get("enforced").getAsBoolean(), text(o, "mode"), text(o, "netGateway"), text(o, "lanInterface"), routes,
                    text(o, "control"), owner);
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

    /**
     * Ends this session from another process: through its control socket (the owner, perhaps the workbench, keeps
     * running), or, for a record written by a CREW without one, with SIGTERM to the owner, which restores the table in
     * its shutdown hook; never to a process that only has the owner's pid now. Returns the restore problems reported
     * (empty: restored); an IOException when it cannot be ended.
     */
    public List<String> disconnect(Duration timeout) throws IOException {
        if (!control.isEmpty()) {
            return requestDisconnect(timeout);
        }
        java.util.Optional<ProcessHandle> p = owner.handle();
        if (p.isEmpty()) {
            return List.of();
        }
        p.get().destroy();
        try {
            p.get().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the process " + ownerPid + " of session " + sessionId + " did not end within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while session " + sessionId + " ended");
        }
        return List.of();
    }

    /** The live sessions (owner running) whose device is {@code namespace} (empty: this host). */
    public static List<SessionRecord> runningIn(String namespace) throws IOException {
        String ns = namespace == null ? "" : namespace;
        return list().stream().filter(r -> r.ownerAlive() && r.namespace().equals(ns)).toList();
    }

    private static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : "";
    }

    /**
     * What $CREW_HOME/tunnel holds: the sessions recorded there, live or left by a process that is gone, and the
     * records that could not be read (each with why), which must not hide the others.
     */
    public record Listing(List<SessionRecord> sessions, List<String> unreadable) {
    }

    /** Sessions recorded under $CREW_HOME/tunnel; unreadable records are left out (see {@link #scan()}). */
    public static List<SessionRecord> list() throws IOException {
        return scan().sessions();
    }

    public static Listing scan() throws IOException {
        List<SessionRecord> out = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Path root = TunnelOptions.crewHome().resolve("tunnel");
        if (!Files.isDirectory(root)) {
            return new Listing(out, unreadable);
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
            for (Path d : s) {
                if (Files.exists(d.resolve(FILE))) {
                    try {
                        out.add(read(d.resolve(FILE)));
                    } catch (IOException e) {
                        unreadable.add(e.getMessage());
                    }
                }
            }
        }
        out.sort(Comparator.comparing(SessionRecord::sessionId));
        return new Listing(out, unreadable);
    }
}
