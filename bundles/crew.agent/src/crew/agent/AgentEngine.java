package crew.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import crew.agent.api.AgentProtocol;
import crew.enforce.EnforcementMode;
import crew.enforce.EnforcementPolicy;
import crew.enforce.EnforcementSession;
import crew.enforce.SessionSpec;
import crew.enforce.SessionSpecText;
import crew.enforce.Recovery;
import crew.model.device.DeviceRoute;
import crew.model.endpoint.EndpointDesign;
import crew.model.io.SourceFormatException;
import crew.model.io.WorkspaceFile;
import crew.model.net.AddressFormatException;
import crew.model.net.Cidr;
import crew.routing.api.RoutingBackend;
import crew.routing.api.RoutingException;
import crew.tunnel.ProfileAllowList;
import crew.tunnel.PushedConfiguration;
import crew.tunnel.RouteAttack;
import crew.tunnel.SessionRecord;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelListener;
import crew.tunnel.TunnelOptions;
import crew.tunnel.TunnelProfile;
import crew.tunnel.TunnelSession;
import crew.tunnel.TunnelStatus;
import crew.tunnel.internal.AttackReport;
import crew.tunnel.lab.EndpointLab;
import crew.tunnel.lab.LabClient;

/**
 * What the agent owns: every tunnel session and lab it started, their journals under its own home, and the event
 * stream. Before it serves, {@link #recover()} restores every device a killed agent left from the journals.
 * Clients send content, never paths: a profile's text (checked by {@link ProfileAllowList}), a design's JSON.
 */
public final class AgentEngine implements AgentHandler {

    /** Routing backends by network namespace (null: this host). */
    public interface Backends {
        RoutingBackend open(String namespace) throws RoutingException;

        void release(RoutingBackend backend, String namespace);
    }

    private record Tunnel(TunnelSession session, RoutingBackend backend, String namespace, String owner, int ownerUid) {
    }

    /** A crew enforce session run for a client, on a device it names (its own tunnel). */
    private record Enforcement(EnforcementSession session, RoutingBackend backend, String namespace, String owner, int ownerUid) {
    }

    /** Who brought a lab up. */
    private record LabOwner(String owner, int ownerUid) {
    }

    private final Backends backends;
    private final java.nio.file.Path openvpn;
    private final EnforcementPolicy policy;
    private final Consumer<String> log;
    private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();
    private final Map<String, EndpointLab> labs = new ConcurrentHashMap<>();
    private final Map<String, LabOwner> labOwners = new ConcurrentHashMap<>();
    private final Map<String, Enforcement> enforcements = new ConcurrentHashMap<>();
    private final Instant started = Instant.now();
    private final List<String> recovery = new ArrayList<>();
    private final List<String> recoveryProblems = new ArrayList<>();
    private volatile Consumer<JsonObject> events = e -> {
    };
    private final List<crew.enforce.EnforcementEventSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public AgentEngine(Backends backends, java.nio.file.Path openvpn, EnforcementPolicy policy, Consumer<String> log) {
        this.backends = backends;
        this.openvpn = openvpn;
        this.policy = policy;
        this.log = log;
    }

    /**
     * A sink every later session's enforcement events also go to (the CloudWatch Logs shipper of the agent's CREW
     * home, through DS): the fleet sees the agent's sessions as it sees crew enforce's.
     */
    public void addSink(crew.enforce.EnforcementEventSink sink) {
        sinks.add(sink);
    }

    /** Where events go (the server's broadcast). */
    public void onEvent(Consumer<JsonObject> sink) {
        this.events = sink;
    }

    // ---- recovery ----

    /** The agent's tunnel journals: $CREW_HOME/tunnel/journal/NAMESPACE (or host). */
    static Path journalRoot() {
        return TunnelOptions.crewHome().resolve("tunnel").resolve("journal");
    }

    /**
     * Restores the devices of sessions a killed agent left, from their journals, and removes labs whose owner is
     * gone. Returns false when a device could not be restored: the agent then refuses control calls (fail closed)
     * and its status says why.
     */
    public synchronized boolean recover() {
        Consumer<String> note = line -> {
            recovery.add(line);
            log.accept("recovery: " + line);
        };
        try {
            EndpointLab.cleanStale(note).forEach(p -> recoveryProblems.add("lab: " + p));
        } catch (IOException e) {
            recoveryProblems.add("labs: " + e.getMessage());
        }
        Path root = journalRoot();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
                for (Path dir : dirs) {
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    String ns = dir.getFileName().toString().equals("host") ? null : dir.getFileName().toString();
                    List<Path> journals = Recovery.journals(dir);
                    if (journals.isEmpty()) {
                        continue;
                    }
                    if (ns != null && !crew.routing.api.netns.NetworkNamespaces.find().map(n -> n.exists(ns)).orElse(false)) {
                        // its routes went with the namespace; kept for the user as Recovery keeps what it cannot replay
                        Path aside = Files.createDirectories(dir.resolve(Recovery.SET_ASIDE));
                        for (Path j : journals) {
                            Files.move(j, aside.resolve(j.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            note.accept("namespace " + ns + " is gone: its journal " + j.getFileName() + " is set aside, nothing to restore");
                        }
                        continue;
                    }
                    RoutingBackend b = backends.open(ns);
                    try {
                        for (Recovery.Result r : Recovery.recoverAll(dir, b, note)) {
                            if (r.outcome() != Recovery.Outcome.NOTHING_TO_RESTORE) {
                                note.accept(r.message());
                            }
                            if (r.blocksNewSession()) {
                                recoveryProblems.add(r.message() + (r.problems().isEmpty() ? "" : ": " + r.problems()));
                            }
                        }
                    } finally {
                        backends.release(b, ns);
                    }
                }
            } catch (IOException | RoutingException | RuntimeException e) {
                recoveryProblems.add("journals: " + e.getMessage());
            }
        }
        if (recoveryProblems.isEmpty()) {
            note.accept("done: " + (recovery.isEmpty() ? "nothing to restore" : "devices restored"));
        }
        return recoveryProblems.isEmpty();
    }

    // ---- calls ----

    @Override
    public JsonObject status() {
        JsonObject agent = new JsonObject();
        agent.addProperty("pid", ProcessHandle.current().pid());
        agent.addProperty("since", started.toString());
        agent.addProperty("protocol", AgentProtocol.VERSION);
        agent.add("recovery", strings(recovery));
        agent.add("problems", strings(recoveryProblems));
        JsonArray sessions = new JsonArray();
        tunnels.values().forEach(t -> sessions.add(sessionJson(t)));
        JsonArray labList = new JsonArray();
        labs.forEach((id, lab) -> {
            JsonObject o = new JsonObject();
            o.addProperty("id", id);
            o.addProperty("deviceNamespace", lab.plan().deviceNamespace());
            o.add("clients", strings(new ArrayList<>(lab.plan().clients().keySet())));
            LabOwner owner = labOwners.get(id);
            o.addProperty("owner", owner == null ? "" : owner.owner());
            labList.add(o);
        });
        JsonArray enforced = new JsonArray();
        enforcements.forEach((id, e) -> {
            JsonObject o = new JsonObject();
            o.addProperty("session", id);
            o.addProperty("namespace", e.namespace() == null ? "" : e.namespace());
            o.addProperty("owner", e.owner());
            o.addProperty("running", e.session().isRunning());
            o.add("protectedRoutes", strings(e.session().protectedRoutes().stream().map(DeviceRoute::toString).toList()));
            enforced.add(o);
        });
        JsonObject s = new JsonObject();
        s.add("agent", agent);
        s.add("sessions", sessions);
        s.add("enforcements", enforced);
        s.add("labs", labList);
        return s;
    }

    @Override
    public JsonElement handle(AgentServer.Client client, String method, JsonObject params) throws AgentCallException {
        if (!recoveryProblems.isEmpty() && !method.equals(AgentProtocol.TUNNEL_DISCONNECT) && !method.equals(AgentProtocol.LAB_DOWN)
                && !method.equals(AgentProtocol.ENFORCE_STOP)) {
            throw new AgentCallException(AgentProtocol.FAILED, "the agent could not restore the device after a crash and takes no new work"
                    + " until it is fixed: " + recoveryProblems);
        }
        return switch (method) {
            case AgentProtocol.TUNNEL_CONNECT -> connect(client, params);
            case AgentProtocol.TUNNEL_DISCONNECT -> disconnect(client, params);
            case AgentProtocol.TUNNEL_ATTACK -> attack(client, params);
            case AgentProtocol.LAB_UP -> labUp(client, params);
            case AgentProtocol.LAB_DOWN -> labDown(client, params);
            case AgentProtocol.LAB_PROFILE -> labProfile(client, params);
            case AgentProtocol.ENFORCE_START -> enforceStart(client, params);
            case AgentProtocol.ENFORCE_STOP -> enforceStop(client, params);
            default -> throw new AgentCallException(AgentProtocol.METHOD_NOT_FOUND, "no method '" + method + "'");
        };
    }

    private JsonElement connect(AgentServer.Client client, JsonObject p) throws AgentCallException {
        long received = System.nanoTime();
        String name = string(p, "profileName", true);
        String text = string(p, "profile", true);
        TunnelProfile profile;
        try {
            profile = ProfileAllowList.parse(name, text);
        } catch (TunnelException e) {
            throw new AgentCallException(AgentProtocol.BAD_INPUT, e.getMessage());
        }
        long checked = System.nanoTime();
        String netns = namespace(p);
        String id = sessionId(p.has("session") ? string(p, "session", true) : name.replaceAll("\\.ovpn$", ""));
        TunnelOptions options;
        try {
            String enforce = string(p, "enforce", false);
            options = TunnelOptions.defaults(id, netns).withOpenvpn(openvpn)
                    .withEnforcement(enforce == null ? null : TunnelOptions.Enforcement.valueOf(enforce.toUpperCase().replace('-', '_')),
                            EnforcementMode.parse(p.has("mode") ? string(p, "mode", true) : "aws"))
                    .withConnectTimeout(Duration.ofSeconds(p.has("timeoutSeconds") ? number(p, "timeoutSeconds", 1, 600) : 30))
                    .withCredentials(string(p, "username", false), chars(p, "password"), chars(p, "keyPassphrase"));
        } catch (IllegalArgumentException e) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, e.getMessage().contains("No enum constant")
                    ? "enforce must be as-pushed, always or never" : e.getMessage());
        }
        RoutingBackend backend;
        try {
            backend = backends.open(netns);
        } catch (RoutingException e) {
            throw new AgentCallException(AgentProtocol.FAILED, e.getMessage());
        }
        long opened = System.nanoTime();
        TunnelSession session = new TunnelSession(profile, backend, options, policy);
        Tunnel t = new Tunnel(session, backend, netns, client.peer().toString(), client.peer().uid());
        synchronized (this) {
            Tunnel running = tunnels.get(id);
            if (running != null) {
                backends.release(backend, netns);
                throw new AgentCallException(AgentProtocol.FAILED, "session '" + id + "' already runs (started by " + running.owner() + ")");
            }
            tunnels.put(id, t);
        }
        String sid = id;
        session.addListener(new TunnelListener() {
            @Override
            public void stateChanged(TunnelStatus status) {
                JsonObject e = event("tunnel.state");
                e.addProperty("session", sid);
                e.addProperty("state", status.state().name());
                e.addProperty("detail", status.detail());
                e.addProperty("since", status.since().toString());
                e.addProperty("openvpnState", status.openvpnState());
                e.addProperty("enforced", status.enforced());
                e.add("routes", routes(status.protectedRoutes()));
                events.accept(e);
            }

            @Override
            public void log(String line) {
                JsonObject e = event("tunnel.log");
                e.addProperty("session", sid);
                e.addProperty("line", line);
                events.accept(e);
            }
        });
        session.addEnforcementSink(ev -> events.accept(enforcementEvent(sid, ev)));
        sinks.forEach(session::addEnforcementSink);
        session.finished().thenRun(() -> {
            tunnels.remove(sid, t);
            backends.release(backend, netns);
        });
        log.accept(client + " connects session " + id + (netns == null ? "" : " in " + netns));
        boolean tied = p.has("tied") && p.get("tied").getAsBoolean();
        if (tied) {
            // the session lives as long as the client that asked for it (crew tunnel connect in the foreground)
            client.onClose(() -> {
                if (!session.status().state().isFinal()) {
                    log.accept(client + " is gone: ending its session " + sid);
                    new Thread(session::disconnect, "crew-agent-untie-" + sid).start();
                }
            });
        }
        long prepared = System.nanoTime();
        try {
            session.connect();
        } catch (TunnelException e) {
            throw new AgentCallException(e.reason() == TunnelException.Reason.BAD_PROFILE ? AgentProtocol.BAD_INPUT : AgentProtocol.FAILED,
                    e.getMessage());
        }
        JsonObject r = sessionJson(t);
        // what the agent adds before the session starts: parameters, the allow-list, the device's backend
        r.addProperty("preparationMillis", (prepared - received) / 1e6);
        r.addProperty("allowListMillis", (checked - received) / 1e6);
        r.addProperty("backendMillis", (opened - checked) / 1e6);
        session.connectTime().ifPresent(d -> r.addProperty("connectMillis", d.toNanos() / 1e6));
        JsonObject phases = new JsonObject();
        session.connectPhases().forEach((phase, d) -> phases.addProperty(phase, d.toNanos() / 1e6));
        r.add("connectPhases", phases);
        return r;
    }

    /**
     * Sessions, labs and enforcement sessions belong to the user who started them: only that uid and root may end,
     * attack or read them back (a member of the control group cannot end another member's tunnel). {@code client}
     * null: the agent itself (a tied client is gone, the agent stops).
     */
    private static void mustOwn(AgentServer.Client client, int ownerUid, String owner, String method, String what) throws AgentCallException {
        if (client == null || client.peer().isRoot() || client.peer().uid() == ownerUid) {
            return;
        }
        String rule = "only root and the user who started " + what + " (" + owner + ") may end, attack or read it back";
        throw new AgentCallException(AgentProtocol.REFUSED, method + " refused for " + client.peer() + ": " + rule, rule);
    }

    private JsonElement disconnect(AgentServer.Client client, JsonObject p) throws AgentCallException {
        Tunnel t = tunnel(p);
        mustOwn(client, t.ownerUid(), t.owner(), AgentProtocol.TUNNEL_DISCONNECT, "session '" + t.session().options().sessionId() + "'");
        List<String> problems = t.session().disconnect();
        JsonObject r = new JsonObject();
        r.addProperty("session", t.session().options().sessionId());
        r.add("problems", strings(problems));
        return r;
    }

    private JsonElement attack(AgentServer.Client client, JsonObject p) throws AgentCallException {
        Tunnel t = tunnel(p);
        mustOwn(client, t.ownerUid(), t.owner(), AgentProtocol.TUNNEL_ATTACK, "session '" + t.session().options().sessionId() + "'");
        SessionRecord s = record(t);
        Cidr target;
        try {
            target = AttackReport.target(s, string(p, "route", false));
        } catch (AddressFormatException e) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "route: " + e.getMessage());
        } catch (AttackReport.Refused e) {
            throw new AgentCallException(AgentProtocol.FAILED, e.getMessage());
        }
        int wait = p.has("waitMs") ? number(p, "waitMs", 1, 60_000) : 2000;
        try {
            AttackReport.Outcome outcome = AttackReport.attack(s, t.backend(), target, wait, p.has("keep") && p.get("keep").getAsBoolean(), line -> {
            });
            RouteAttack.Result result = outcome.result();
            JsonObject r = new JsonObject();
            r.addProperty("route", result.route().toString());
            r.add("attackRoute", routes(List.of(result.route())).get(0));
            r.addProperty("removedByEngine", result.removedByEngine());
            result.removalTime().ifPresent(d -> r.addProperty("removalMillis", d.toNanos() / 1e6));
            r.addProperty("removedAgain", result.removedAgain());
            result.displaced().ifPresent(d -> r.add("displaced", routes(List.of(d)).get(0)));
            r.addProperty("lanInterface", result.route().interfaceName());
            // what crew tunnel attack prints, in-process and through the agent alike (fields only added: the ones
            // above keep their meaning for older clients and the workbench)
            r.add("report", outcome.report().toJson());
            return r;
        } catch (AttackReport.Refused e) {
            throw new AgentCallException(AgentProtocol.FAILED, e.getMessage());
        } catch (RoutingException e) {
            throw new AgentCallException(AgentProtocol.FAILED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentCallException(AgentProtocol.FAILED, "interrupted");
        }
    }

    /** A session of the agent as the session record an in-process session writes (what the attack decides on). */
    private static SessionRecord record(Tunnel t) {
        TunnelStatus s = t.session().status();
        TunnelOptions o = t.session().options();
        return new SessionRecord(o.sessionId(), ProcessHandle.current().pid(), true, t.session().profile().source().toString(),
                o.namespace() == null ? "" : o.namespace(), s.state().name(), s.openvpnState(), s.detail(), s.since().toString(),
                s.configuration().map(PushedConfiguration::device).orElse(""), s.enforced(), o.mode().name().toLowerCase(),
                s.configuration().flatMap(PushedConfiguration::netGateway).map(Object::toString).orElse(""),
                t.session().lanRoute().map(DeviceRoute::interfaceName).orElse(""), s.protectedRoutes().stream().map(DeviceRoute::toString).toList());
    }

    private JsonElement labUp(AgentServer.Client client, JsonObject p) throws AgentCallException {
        String id = string(p, "id", false);
        id = id == null ? "lab" : id;
        String designName = string(p, "designName", true);
        EndpointDesign design;
        try {
            design = WorkspaceFile.read(designName, string(p, "design", true));
        } catch (SourceFormatException e) {
            throw new AgentCallException(AgentProtocol.BAD_INPUT, e.getMessage());
        }
        List<LabClient> clients = new ArrayList<>();
        if (p.has("clients") && p.get("clients").isJsonArray()) {
            try {
                for (JsonElement c : p.getAsJsonArray("clients")) {
                    clients.add(LabClient.parse(c.getAsString()));
                }
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
                throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "clients: " + e.getMessage());
            }
        }
        if (clients.isEmpty()) {
            clients = crew.tunnel.lab.LabPlan.defaultClients(design);
        }
        String labId = id;
        EndpointLab lab;
        synchronized (this) {
            if (labs.containsKey(labId)) {
                throw new AgentCallException(AgentProtocol.FAILED, "lab '" + labId + "' is already up");
            }
            try {
                lab = EndpointLab.up(design, labId, clients, openvpn, line -> {
                    JsonObject e = event("lab");
                    e.addProperty("lab", labId);
                    e.addProperty("line", line);
                    events.accept(e);
                });
            } catch (IllegalArgumentException e) {
                throw new AgentCallException(AgentProtocol.BAD_INPUT, designName + ": " + e.getMessage());
            } catch (IOException | RoutingException e) {
                throw new AgentCallException(AgentProtocol.FAILED, e.getMessage());
            }
            labs.put(labId, lab);
            labOwners.put(labId, new LabOwner(client.peer().toString(), client.peer().uid()));
        }
        log.accept(client + " brought lab " + labId + " up");
        if (p.has("tied") && p.get("tied").getAsBoolean()) {
            // crew lab up in the foreground: the lab lives as long as that command (Ctrl-C, kill -9 or its end)
            client.onClose(() -> {
                if (labs.get(labId) == lab) {
                    log.accept(client + " is gone: taking its lab " + labId + " down");
                    new Thread(() -> {
                        try {
                            labDown(null, idParams(labId));
                        } catch (AgentCallException e) {
                            log.accept("lab " + labId + ": " + e.getMessage());
                        }
                    }, "crew-agent-untie-lab-" + labId).start();
                }
            });
        }
        return labJson(labId, lab);
    }

    private JsonObject labJson(String id, EndpointLab lab) throws AgentCallException {
        JsonObject r = new JsonObject();
        r.addProperty("id", id);
        r.addProperty("deviceNamespace", lab.plan().deviceNamespace());
        r.addProperty("endpoint", lab.plan().publicAddress() + ":" + lab.plan().port());
        JsonObject profiles = new JsonObject();
        for (String c : lab.plan().clients().keySet()) {
            try {
                profiles.addProperty(c, Files.readString(lab.clientProfile(c)));
            } catch (IOException e) {
                throw new AgentCallException(AgentProtocol.FAILED, "reading the lab's profile of " + c + ": " + e.getMessage());
            }
        }
        r.add("profiles", profiles);
        r.add("hosts", strings(lab.plan().hosts().stream().map(Object::toString).toList()));
        return r;
    }

    private JsonElement labDown(AgentServer.Client client, JsonObject p) throws AgentCallException {
        String id = string(p, "id", true);
        EndpointLab lab;
        synchronized (this) {
            lab = labs.get(id);
            if (lab == null) {
                throw new AgentCallException(AgentProtocol.FAILED, "no lab '" + id + "' runs in this agent (labs: " + labs.keySet() + ")");
            }
            LabOwner o = labOwners.get(id);
            if (o != null) {
                mustOwn(client, o.ownerUid(), o.owner(), AgentProtocol.LAB_DOWN, "lab '" + id + "'");
            }
            labs.remove(id);
            labOwners.remove(id);
        }
        // sessions inside the lab's device end first, so their tables are restored while the namespace exists
        for (Tunnel t : List.copyOf(tunnels.values())) {
            if (lab.plan().deviceNamespace().equals(t.namespace())) {
                t.session().disconnect();
            }
        }
        JsonObject r = new JsonObject();
        r.addProperty("id", id);
        r.add("problems", strings(lab.down()));
        JsonObject e = event("lab.state");
        e.addProperty("lab", id);
        e.addProperty("state", "DOWN");
        events.accept(e);
        return r;
    }

    private JsonElement labProfile(AgentServer.Client client, JsonObject p) throws AgentCallException {
        String id = string(p, "id", true);
        EndpointLab lab = labs.get(id);
        if (lab == null) {
            throw new AgentCallException(AgentProtocol.FAILED, "no lab '" + id + "' runs in this agent");
        }
        LabOwner o = labOwners.get(id);
        if (o != null) {
            // the profiles carry the lab users' private keys
            mustOwn(client, o.ownerUid(), o.owner(), AgentProtocol.LAB_PROFILE, "lab '" + id + "'");
        }
        return labJson(id, lab);
    }

    /** crew enforce for a client: always tied to its connection (the client's Ctrl-C, or its end, stops it). */
    private JsonElement enforceStart(AgentServer.Client client, JsonObject p) throws AgentCallException {
        String netns = namespace(p);
        SessionSpec spec;
        try {
            spec = SessionSpecText.parse(string(p, "session", true), string(p, "interface", false), string(p, "gateway", false), list(p, "protect"),
                    list(p, "exempt"), list(p, "bypass"), p.has("mode") ? string(p, "mode", true) : "aws",
                    p.has("reconcileMs") ? number(p, "reconcileMs", 1, 3_600_000) : 5000);
        } catch (IllegalArgumentException e) {
            throw new AgentCallException(AgentProtocol.BAD_INPUT, e.getMessage());
        }
        String id = sessionId(spec.sessionId());
        RoutingBackend backend;
        try {
            backend = backends.open(netns);
        } catch (RoutingException e) {
            throw new AgentCallException(AgentProtocol.FAILED, e.getMessage());
        }
        Path journal = journalRoot().resolve(netns == null ? "host" : netns).resolve(id + ".journal");
        EnforcementSession session = new EnforcementSession(spec, backend, policy, journal);
        session.addSink(ev -> events.accept(enforcementEvent(id, ev)));
        sinks.forEach(session::addSink);
        Enforcement e = new Enforcement(session, backend, netns, client.peer().toString(), client.peer().uid());
        synchronized (this) {
            if (enforcements.containsKey(id) || tunnels.containsKey(id)) {
                backends.release(backend, netns);
                throw new AgentCallException(AgentProtocol.FAILED, "session '" + id + "' already runs in the agent");
            }
            enforcements.put(id, e);
        }
        try {
            Files.createDirectories(journal.getParent());
            session.start();
        } catch (IOException | RoutingException | RuntimeException ex) {
            session.stop();
            enforcements.remove(id, e);
            backends.release(backend, netns);
            throw new AgentCallException(AgentProtocol.FAILED, ex.getMessage());
        }
        log.accept(client + " enforces session " + id + (netns == null ? "" : " in " + netns));
        client.onClose(() -> {
            if (enforcements.containsKey(id)) {
                log.accept(client + " is gone: stopping its enforcement session " + id);
                stopEnforcement(id);
            }
        });
        JsonObject r = new JsonObject();
        r.addProperty("session", id);
        r.add("protectedRoutes", strings(session.protectedRoutes().stream().map(DeviceRoute::toString).toList()));
        return r;
    }

    private JsonElement enforceStop(AgentServer.Client client, JsonObject p) throws AgentCallException {
        String id = string(p, "session", true);
        Enforcement running = enforcements.get(id);
        if (running == null) {
            throw new AgentCallException(AgentProtocol.FAILED, "no enforcement session '" + id + "' runs in the agent");
        }
        mustOwn(client, running.ownerUid(), running.owner(), AgentProtocol.ENFORCE_STOP, "enforcement session '" + id + "'");
        JsonObject r = new JsonObject();
        r.addProperty("session", id);
        r.add("problems", strings(stopEnforcement(id)));
        return r;
    }

    /** Stops the engine (the table is restored) and tells subscribers. */
    private List<String> stopEnforcement(String id) {
        Enforcement e = enforcements.remove(id);
        if (e == null) {
            return List.of();
        }
        List<String> problems = e.session().stop();
        backends.release(e.backend(), e.namespace());
        JsonObject ev = event("enforce.state");
        ev.addProperty("session", id);
        ev.addProperty("state", "STOPPED");
        events.accept(ev);
        return problems;
    }

    /** Ends every session and lab (the agent stops): tables restored, namespaces removed. */
    public void shutdown() {
        List.copyOf(enforcements.keySet()).forEach(this::stopEnforcement);
        tunnels.values().forEach(t -> t.session().disconnect());
        labs.values().forEach(EndpointLab::down);
        labs.clear();
        labOwners.clear();
    }

    // ---- helpers ----

    private Tunnel tunnel(JsonObject p) throws AgentCallException {
        String id = string(p, "session", false);
        if (id == null) {
            if (tunnels.size() != 1) {
                throw new AgentCallException(AgentProtocol.INVALID_PARAMS, tunnels.isEmpty() ? "no tunnel session is running"
                        : "several sessions run (" + tunnels.keySet() + "): name one");
            }
            return tunnels.values().iterator().next();
        }
        Tunnel t = tunnels.get(id);
        if (t == null) {
            throw new AgentCallException(AgentProtocol.FAILED, "no running tunnel session '" + id + "'");
        }
        return t;
    }

    private static JsonObject sessionJson(Tunnel t) {
        TunnelStatus s = t.session().status();
        TunnelOptions o = t.session().options();
        JsonObject r = new JsonObject();
        r.addProperty("sessionId", o.sessionId());
        r.addProperty("namespace", o.namespace() == null ? "" : o.namespace());
        r.addProperty("profile", t.session().profile().source().toString());
        r.addProperty("owner", t.owner());
        r.addProperty("state", s.state().name());
        r.addProperty("openvpnState", s.openvpnState());
        r.addProperty("detail", s.detail());
        r.addProperty("since", s.since().toString());
        r.addProperty("device", s.configuration().map(PushedConfiguration::device).orElse(""));
        r.addProperty("enforced", s.enforced());
        r.addProperty("mode", o.mode().name().toLowerCase());
        r.addProperty("netGateway", s.configuration().flatMap(PushedConfiguration::netGateway).map(Object::toString).orElse(""));
        r.addProperty("lanInterface", t.session().lanRoute().map(DeviceRoute::interfaceName).orElse(""));
        r.add("protectedRoutes", strings(s.protectedRoutes().stream().map(DeviceRoute::toString).toList()));
        r.add("routes", routes(s.protectedRoutes()));
        return r;
    }

    /** Routes as fields, for clients that show them in columns (the workbench). */
    private static JsonArray routes(List<DeviceRoute> routes) {
        JsonArray a = new JsonArray();
        for (DeviceRoute d : routes) {
            JsonObject o = new JsonObject();
            o.addProperty("destination", d.destination().toString());
            o.addProperty("gateway", d.gateway() == null ? "" : d.gateway().toString());
            o.addProperty("interface", d.interfaceName() == null ? "" : d.interfaceName());
            o.addProperty("metric", d.metric());
            o.addProperty("table", d.table());
            a.add(o);
        }
        return a;
    }

    /** A session id names folders and journals of the agent: a plain name, never '.', '..' or hidden. */
    private static String sessionId(String id) throws AgentCallException {
        if (!id.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "session '" + id + "' must be 1-64 letters, digits, '_', '.' or '-',"
                    + " starting with a letter, digit or '_'");
        }
        return id;
    }

    /** The namespace a call names: a name (never a path) of one that exists, or null for this host. */
    private static String namespace(JsonObject p) throws AgentCallException {
        String netns = string(p, "netns", false);
        if (netns != null && (!netns.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}") || netns.contains(".."))) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "netns '" + netns + "' is not a namespace name");
        }
        if (netns != null && !crew.routing.api.netns.NetworkNamespaces.find().map(n -> n.exists(netns)).orElse(false)) {
            throw new AgentCallException(AgentProtocol.BAD_INPUT, "no network namespace '" + netns + "'");
        }
        return netns;
    }

    private static JsonObject enforcementEvent(String session, crew.enforce.EnforcementEvent ev) {
        JsonObject e = event("enforcement");
        e.addProperty("session", session);
        e.addProperty("kind", ev.kind().name());
        e.addProperty("route", ev.route());
        e.addProperty("detail", ev.detail());
        e.addProperty("time", ev.time().toString());
        return e;
    }

    private static List<String> list(JsonObject p, String name) throws AgentCallException {
        JsonElement e = p.get(name);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "'" + name + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "'" + name + "' must be an array of strings");
            }
            out.add(x.getAsString());
        }
        return out;
    }

    private static JsonObject idParams(String id) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        return o;
    }

    private static JsonObject event(String type) {
        JsonObject e = new JsonObject();
        e.addProperty("type", type);
        e.addProperty("at", Instant.now().toString());
        return e;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(v -> a.add(new JsonPrimitive(v)));
        return a;
    }

    private static String string(JsonObject p, String name, boolean required) throws AgentCallException {
        JsonElement e = p.get(name);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "'" + name + "' is required");
            }
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "'" + name + "' must be a string");
        }
        return e.getAsString();
    }

    private static char[] chars(JsonObject p, String name) throws AgentCallException {
        String s = string(p, name, false);
        return s == null ? null : s.toCharArray();
    }

    private static int number(JsonObject p, String name, int min, int max) throws AgentCallException {
        JsonElement e = p.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "'" + name + "' must be a number");
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < min || d > max) {
            throw new AgentCallException(AgentProtocol.INVALID_PARAMS, "'" + name + "' must be a whole number from " + min + " to " + max);
        }
        return (int) d;
    }

    /** For tests: the state of each session, by id. */
    Map<String, String> sessionStates() {
        Map<String, String> m = new LinkedHashMap<>();
        tunnels.forEach((k, v) -> m.put(k, v.session().status().state().name()));
        return m;
    }
}
