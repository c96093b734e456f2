package crew.model.net;

import java.util.function.BiFunction;

/**
 * An immutable CIDR block: a network address whose host bits are all zero, and a prefix length. Parsing is strict
 * ({@link #parse}: host bits set is an error that names the block the user probably meant); {@link #parseLenient}
 * masks host bits away for inputs such as route tables where that is the convention.
 */
public final class Cidr implements Comparable<Cidr> {
    private final IpAddress network;
    private final int prefixLength;

    private Cidr(IpAddress network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** The block of {@code prefixLength} bits around {@code address}, host bits cleared. */
    public static Cidr of(IpAddress address, int prefixLength) {
        if (prefixLength < 0 || prefixLength > address.family().bits()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + address.family().bits()
                    + " for " + address.family());
        }
        return new Cidr(address.mask(prefixLength), prefixLength);
    }

    /** The single-address block (/32 or /128). */
    public static Cidr host(IpAddress address) {
        return new Cidr(address, address.family().bits());
    }

    /**
     * Parses {@code address/prefix}. A bare address is not accepted: write /32 or /128 to mean a single host.
     *
     * @throws AddressFormatException naming the text, the position and the reason (host bits set, prefix out of
     *         range, missing prefix, bad address)
     */
    public static Cidr parse(String text) {
        return parse(text, false);
    }

    /** Like {@link #parse}, but a block with host bits set is masked ({@code 10.1.2.3/8} becomes {@code 10.0.0.0/8}). */
    public static Cidr parseLenient(String text) {
        return parse(text, true);
    }

    private static Cidr parse(String text, boolean maskHostBits) {
        return parseWritten(text, (address, prefix) -> {
            IpAddress network = address.mask(prefix);
            if (!maskHostBits && !network.equals(address)) {
                throw new AddressFormatException(text, 0,
                        "host bits set after /" + prefix + " (did you mean " + network + "/" + prefix + "?)");
            }
            return new Cidr(network, prefix);
        });
    }

    /**
     * Reads ADDRESS/PREFIX as written, host bits kept (an interface address such as {@code 10.0.0.2/24}), with the
     * located errors of {@link #parse}, and gives the address and the prefix length to {@code result}.
     *
     * @throws AddressFormatException naming the position and the reason
     */
    public static <R> R parseWritten(String text, BiFunction<IpAddress, Integer, R> result) {
        if (text == null || text.isBlank()) {
            throw new AddressFormatException(text == null ? "" : text, -1, "empty CIDR");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new AddressFormatException(text, text.length(), "missing '/prefix' (write /32 or /128 for one host)");
        }
        if (text.indexOf('/', slash + 1) >= 0) {
            throw new AddressFormatException(text, text.indexOf('/', slash + 1), "more than one '/'");
        }
        IpAddress address = IpAddress.parse(text, text.substring(0, slash), 0);
        String prefixText = text.substring(slash + 1);
        if (prefixText.isEmpty()) {
            throw new AddressFormatException(text, slash + 1, "missing prefix length after '/'");
        }
        int bits = address.family().bits();
        int prefix = 0;
        for (int i = 0; i < prefixText.length(); i++) {
            char c = prefixText.charAt(i);
            if (c < '0' || c > '9') {
                throw new AddressFormatException(text, slash + 1 + i, "unexpected " + AddressFormatException.describe(c)
                        + ": the prefix length must be a number 0.." + bits);
            }
            if (i >= 3) {
                throw new AddressFormatException(text, slash + 1 + i, "prefix length must be a number 0.." + bits);
            }
            prefix = prefix * 10 + (c - '0');
        }
        if (prefix > bits) {
            throw new AddressFormatException(text, slash + 1,
                    "prefix length " + prefix + " is outside 0.." + bits + " for " + address.family() + " (longer than " + bits + " bits)");
        }
        return result.apply(address, prefix);
    }

    /**
     * The block written as an address and a netmask ({@code 10.0.0.0 255.0.0.0}, as in .ovpn {@code route} lines and
     * Windows {@code route print}). Host bits are masked.
     *
     * @param whole the text the two came from, for the error message
     * @throws AddressFormatException when the families differ or the mask is not contiguous ones then zeros
     */
    public static Cidr ofNetmask(IpAddress address, IpAddress mask, String whole) {
        if (address.family() != mask.family()) {
            throw new AddressFormatException(whole, -1, "mixed families: " + address.family() + " address " + address + " with "
                    + mask.family() + " mask " + mask);
        }
        int bits = address.family().bits();
        int prefix = 0;
        while (prefix < bits && mask.bit(prefix)) {
            prefix++;
        }
        for (int i = prefix; i < bits; i++) {
            if (mask.bit(i)) {
                throw new AddressFormatException(whole, -1, "netmask " + mask + " is not contiguous (ones must come first)");
            }
        }
        return of(address, prefix);
    }

    /**
     * Requires {@code other} to be of this block's family.
     *
     * @throws AddressFormatException "mixed families" naming both
     */
    public void requireSameFamily(Cidr other, String whole) {
        if (other.family() != family()) {
            throw new AddressFormatException(whole, -1, "mixed families: " + this + " is " + family() + ", " + other + " is " + other.family());
        }
    }

    public IpAddress network() {
        return network;
    }

    public int prefixLength() {
        return prefixLength;
    }

    public IpFamily family() {
        return network.family();
    }

    /** Whether {@code address} lies inside this block. Addresses of the other family never do. */
    public boolean contains(IpAddress address) {
        return network.samePrefix(address, prefixLength);
    }

    /** Whether {@code other} lies entirely inside this block (a block contains itself). */
    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && network.samePrefix(other.network, prefixLength);
    }

    /** Whether the two blocks share at least one address (for CIDRs: one contains the other). */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** Whether this block lies strictly inside {@code other}: a longer prefix of the same range. */
    public boolean isMoreSpecificThan(Cidr other) {
        return prefixLength > other.prefixLength && other.contains(this);
    }

    /** The first address of the block (the network address). */
    public IpAddress first() {
        return network;
    }

    /** The last address of the block. */
    public IpAddress last() {
        return network.fill(prefixLength);
    }

    /** Whether this is a default route block (0.0.0.0/0 or ::/0). */
    public boolean isDefault() {
        return prefixLength == 0;
    }

    /** The two halves of this block (one bit longer). A /32 or /128 cannot be split. */
    public Cidr[] halves() {
        if (prefixLength == family().bits()) {
            throw new IllegalStateException(this + " is a single address and has no halves");
        }
        Cidr lower = new Cidr(network, prefixLength + 1);
        Cidr upper = new Cidr(last().mask(prefixLength + 1), prefixLength + 1);
        return new Cidr[] {lower, upper};
    }

    /** Orders by family, then network address, then prefix length (shorter first). */
    @Override
    public int compareTo(Cidr o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && c.network.equals(network);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 131 + prefixLength;
    }

    /** Canonical text: {@code network/prefix}. */
    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
