package crew.agent;

/** A call the agent answers with an error: a JSON-RPC code ({@link crew.agent.api.AgentProtocol}), a message, a rule. */
public class AgentCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String rule;

    public AgentCallException(int code, String message) {
        this(code, message, null);
    }

    public AgentCallException(int code, String message, String rule) {
        super(message);
        this.code = code;
        this.rule = rule;
    }

    public int code() {
        return code;
    }

    public String rule() {
        return rule;
    }
}
