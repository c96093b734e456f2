package crew.agent.api;

import com.google.gson.JsonObject;

/** The agent answered a call with an error: its JSON-RPC code, its message, and its data (the refusing rule). */
public class AgentException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient JsonObject data;

    public AgentException(int code, String message, JsonObject data) {
        super(message);
        this.code = code;
        this.data = data == null ? new JsonObject() : data;
    }

    public int code() {
        return code;
    }

    public JsonObject data() {
        return data;
    }

    /** The rule that refused the call, when the agent refused it for the caller's role. */
    public String rule() {
        return data.has("rule") ? data.get("rule").getAsString() : "";
    }
}
