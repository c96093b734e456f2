package crew.agent.api;

import java.io.IOException;

/** The peer broke the framing (a bad or oversized header, a truncated body): the stream cannot be trusted further. */
public class FramingException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean tooLarge;

    public FramingException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    /** Whether the message was refused for its size. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
