package crew.aws.local;

/** A tiny XML writer for EC2 Query responses: elements, text, escaping. */
final class XmlWriter {
    private final StringBuilder out = new StringBuilder();

    XmlWriter open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    XmlWriter openNs(String name, String namespace) {
        out.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        return this;
    }

    XmlWriter close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>text</name>}; nothing when text is null. */
    XmlWriter element(String name, Object text) {
        if (text == null) {
            return this;
        }
        out.append('<').append(name).append('>');
        escape(String.valueOf(text));
        out.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>} always, empty when text is null. */
    XmlWriter elementOrEmpty(String name, Object text) {
        out.append('<').append(name).append('>');
        if (text != null) {
            escape(String.valueOf(text));
        }
        out.append("</").append(name).append('>');
        return this;
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '<' -> out.append("&lt;");
            case '>' -> out.append("&gt;");
            case '&' -> out.append("&amp;");
            case '"' -> out.append("&quot;");
            default -> out.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
