package crew.agent;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** What the agent does with calls that passed framing, the handshake and authorization. */
public interface AgentHandler {

    /** Answers one call; runs on a worker thread for control methods, on the connection's thread for reads. */
    JsonElement handle(AgentServer.Client client, String method, JsonObject params) throws AgentCallException;

    /** The agent's status, for {@code status}: cheap, answered on the connection's own thread. */
    JsonObject status();
}
