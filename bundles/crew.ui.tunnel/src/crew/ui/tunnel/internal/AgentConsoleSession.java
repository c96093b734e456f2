package crew.ui.tunnel.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import crew.agent.api.AgentClient;
import crew.agent.api.AgentException;
import crew.agent.api.AgentProtocol;
import crew.enforce.EnforcementEventSink;
import crew.enforce.EnforcementMode;
import crew.enforce.internal.StreamedEvents;
import crew.model.device.DeviceRoute;
import crew.model.net.Cidr;
import crew.model.net.IpAddress;
import crew.tunnel.RouteAttack;
import crew.tunnel.TunnelException;
import crew.tunnel.TunnelListener;
import crew.tunnel.TunnelState;
import crew.tunnel.TunnelStatus;

/**
 * A console session the privileged agent runs (the workbench is an ordinary user): the profile's content goes to
 * the agent, its state changes, log lines and enforcement events come back as events. The session is not tied to
 * the workbench: it outlives the window, as tunnels outlive the front-end in the agents CREW follows.
 */
final class AgentConsoleSession implements ConsoleTunnel {
    private final ProfileEntry entry;
    private final AgentClient client;
    private final JsonObject request = new JsonObject();
    private volatile TunnelStatus status = new TunnelStatus(TunnelState.IDLE, "", "", Instant.now(), Optional.empty(), false, List.of(),
            Optional.empty());
    private volatile Duration connectTime;
    private volatile String refusal;

    private AgentConsoleSession(ProfileEntry entry, AgentClient client) {
        this.entry = entry;
        this.client = client;
    }

    static AgentConsoleSession create(ProfileEntry entry, AgentClient client, EnforcementMode mode, TunnelListener listener, EnforcementEventSink sink,
            String username, char[] password, char[] keyPassphrase) throws IOException, AgentException {
        AgentConsoleSession s = new AgentConsoleSession(entry, client);
        String id = entry.sessionId();
        s.request.addProperty("profileName", entry.file().getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_"));
        s.request.addProperty("profile", Files.readString(entry.file(), StandardCharsets.UTF_8));
        s.request.addProperty("session", id);
        if (entry.namespace() != null) {
            s.request.addProperty("netns", entry.namespace());
        }
        s.request.addProperty("mode", mode.name().toLowerCase());
        if (username != null) {
            s.request.addProperty("username", username);
        }
        if (password != null) {
            s.request.addProperty("password", new String(password));
        }
        if (keyPassphrase != null) {
            s.request.addProperty("keyPassphrase", new String(keyPassphrase));
        }
        client.subscribe(e -> {
            if (!id.equals(text(e, "session"))) {
                return;
            }
            switch (text(e, "type")) {
                case "tunnel.state" -> {
                    s.status = new TunnelStatus(TunnelState.valueOf(text(e, "state")), text(e, "openvpnState"), text(e, "detail"),
                            Instant.parse(text(e, "since")), Optional.empty(), e.get("enforced").getAsBoolean(), routes(e.getAsJsonArray("routes")),
                            s.status.error());
                    listener.stateChanged(s.status);
                }
                case "tunnel.log" -> listener.log(text(e, "line"));
                case "enforcement" -> StreamedEvents.handOver(e, id, sink, "crew tunnel console", listener::log);
                default -> {
                }
            }
        });
        return s;
    }

    /** Whether the agent lets this user connect (else it refuses the call, naming the rule). */
    boolean mayControl() {
        return client.mayControl();
    }

    /** The agent's refusal of the connect for this user's role, in the console's words. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** Closes the connection (a session the agent runs goes on). */
    void close() {
        client.close();
    }

    @Override
    public ProfileEntry entry() {
        return entry;
    }

    @Override
    public TunnelStatus status() {
        return status;
    }

    @Override
    public void connect() {
        try {
            JsonObject r = client.call(AgentProtocol.TUNNEL_CONNECT, request).getAsJsonObject();
            request.remove("password");
            request.remove("keyPassphrase");
            if (r.has("connectMillis")) {
                connectTime = Duration.ofNanos((long) (r.get("connectMillis").getAsDouble() * 1e6));
            }
            status = new TunnelStatus(TunnelState.valueOf(text(r, "state")), text(r, "openvpnState"), text(r, "detail"), Instant.parse(text(r, "since")),
                    Optional.empty(), r.get("enforced").getAsBoolean(), routes(r.getAsJsonArray("routes")), Optional.empty());
        } catch (AgentException e) {
            if (e.code() == AgentProtocol.REFUSED) {
                refusal = ConsoleAgent.refused(e);
            }
            TunnelException t = new TunnelException(e.code() == AgentProtocol.BAD_INPUT ? TunnelException.Reason.BAD_PROFILE
                    : TunnelException.Reason.OPENVPN_FAILED, "agent: " + e.getMessage());
            failed(t);
            throw t;
        } catch (IOException e) {
            TunnelException t = new TunnelException(TunnelException.Reason.OPENVPN_FAILED, "agent: " + e.getMessage());
            failed(t);
            throw t;
        }
    }

    private void failed(TunnelException e) {
        TunnelStatus old = status;
        status = new TunnelStatus(TunnelState.FAILED, old.openvpnState(), e.getMessage(), Instant.now(), Optional.empty(), false, List.of(),
                Optional.of(e));
    }

    @Override
    public List<String> disconnect() {
        JsonObject p = new JsonObject();
        p.addProperty("session", entry.sessionId());
        List<String> problems = new ArrayList<>();
        try {
            JsonArray a = client.call(AgentProtocol.TUNNEL_DISCONNECT, p).getAsJsonObject().getAsJsonArray("problems");
            a.forEach(x -> problems.add(x.getAsString()));
        } catch (AgentException | IOException e) {
            problems.add("agent: " + e.getMessage());
        }
        TunnelStatus old = status;
        // openvpn is gone: its last state ("CONNECTED") would read as if it still ran
        status = new TunnelStatus(TunnelState.DISCONNECTED, "", "device restored by the agent", Instant.now(), Optional.empty(), false,
                List.of(), Optional.empty());
        return problems;
    }

    @Override
    public boolean canAttack() {
        return entry.namespace() != null && status.state() == TunnelState.CONNECTED;
    }

    @Override
    public RouteAttack.Result attack() {
        JsonObject p = new JsonObject();
        p.addProperty("session", entry.sessionId());
        p.addProperty("waitMs", ConsoleSession.ATTACK_WAIT.toMillis());
        try {
            JsonObject r = client.call(AgentProtocol.TUNNEL_ATTACK, p).getAsJsonObject();
            return new RouteAttack.Result(route(r.getAsJsonObject("attackRoute")), r.get("removedByEngine").getAsBoolean(),
                    r.has("removalMillis") ? Optional.of(Duration.ofNanos((long) (r.get("removalMillis").getAsDouble() * 1e6))) : Optional.empty(),
                    r.get("removedAgain").getAsBoolean(), ConsoleSession.ATTACK_WAIT,
                    r.has("displaced") ? Optional.of(route(r.getAsJsonObject("displaced"))) : Optional.empty());
        } catch (AgentException | IOException e) {
            throw new IllegalStateException("the agent: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Duration> connectTime() {
        return Optional.ofNullable(connectTime);
    }

    @Override
    public String where() {
        return "the agent (pid " + client.hello().get("agentPid").getAsLong() + ")";
    }

    private static List<DeviceRoute> routes(JsonArray a) {
        List<DeviceRoute> out = new ArrayList<>();
        for (JsonElement x : a) {
            out.add(route(x.getAsJsonObject()));
        }
        return out;
    }

    private static DeviceRoute route(JsonObject o) {
        String gw = text(o, "gateway");
        return DeviceRoute.of(Cidr.parse(text(o, "destination")), gw.isEmpty() ? null : IpAddress.parse(gw), text(o, "interface"),
                o.get("metric").getAsInt()).withTable(o.get("table").getAsInt());
    }

    private static String text(JsonObject o, String name) {
        return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : "";
    }
}
