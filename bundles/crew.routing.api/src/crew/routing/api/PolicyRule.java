package crew.routing.api;

import crew.model.net.Cidr;
import crew.model.net.IpFamily;

/**
 * A policy routing rule (Linux {@code ip rule}): traffic matching the selectors is looked up in {@code table}, or
 * handled by {@code action}. Selectors that are absent are null/0.
 *
 * @param priority  lower runs first (0 = local table rule, 32766 = main, 32767 = default)
 * @param action    "lookup", "goto", "nop", "blackhole", "unreachable", "prohibit"
 * @param fwmark    firewall mark to match (0 = any)
 * @param inputInterface  iif name or null; {@code outputInterface} likewise
 */
public record PolicyRule(IpFamily family, int priority, int table, String action, Cidr from, Cidr to, String inputInterface,
        String outputInterface, long fwmark, long fwmask, boolean inverted) {

    /** Whether this rule sends some destinations to a table other than main before main is consulted. */
    public boolean diverts() {
        return "lookup".equals(action) && table != 254 && table != 255 && table != 253 && priority < 32766;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(priority).append(": ");
        if (inverted) {
            sb.append("not ");
        }
        sb.append("from ").append(from == null ? "all" : from.toString());
        if (to != null) {
            sb.append(" to ").append(to);
        }
        if (fwmark != 0) {
            sb.append(" fwmark 0x").append(Long.toHexString(fwmark));
        }
        if (inputInterface != null) {
            sb.append(" iif ").append(inputInterface);
        }
        if (outputInterface != null) {
            sb.append(" oif ").append(outputInterface);
        }
        sb.append(' ').append(action);
        if ("lookup".equals(action)) {
            sb.append(' ').append(table == 254 ? "main" : table == 255 ? "local" : table == 253 ? "default" : String.valueOf(table));
        }
        return sb.toString();
    }
}
