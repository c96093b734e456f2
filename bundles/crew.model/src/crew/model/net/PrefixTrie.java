package crew.model.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A binary trie of CIDR blocks (one root per family) mapping each block to a value. Every query walks at most one
 * path of the prefix length (32 or 128 steps) plus, for "inside" queries, the subtree below it, so overlap questions
 * never compare every pair. Not thread-safe for writers; readers may share a trie that is no longer modified.
 *
 * @param <V> the value stored with each block
 */
public final class PrefixTrie<V> {

    /** One stored block and its value. */
    public record Entry<V>(Cidr cidr, V value) {
    }

    private static final class Node<V> {
        Node<V> zero;
        Node<V> one;
        Entry<V> entry;
    }

    private final Node<V> v4 = new Node<>();
    private final Node<V> v6 = new Node<>();
    private int size;

    private Node<V> root(IpFamily family) {
        return family == IpFamily.IPV4 ? v4 : v6;
    }

    /** Bit {@code index} from the most significant bit, without the bounds checks of {@link IpAddress#bit}. */
    private static boolean bit(IpAddress a, int index) {
        int fromRight = a.family().bits() - 1 - index;
        return fromRight >= 64 ? ((a.high() >>> (fromRight - 64)) & 1L) != 0 : ((a.low() >>> fromRight) & 1L) != 0;
    }

    /** Stores {@code value} for {@code cidr}, returning the value it replaces, or null. */
    public V put(Cidr cidr, V value) {
        Node<V> n = root(cidr.family());
        IpAddress a = cidr.network();
        for (int i = 0; i < cidr.prefixLength(); i++) {
            if (bit(a, i)) {
                n = n.one == null ? (n.one = new Node<>()) : n.one;
            } else {
                n = n.zero == null ? (n.zero = new Node<>()) : n.zero;
            }
        }
        V old = n.entry == null ? null : n.entry.value();
        if (n.entry == null) {
            size++;
        }
        n.entry = new Entry<>(cidr, value);
        return old;
    }

    private Node<V> find(Cidr cidr) {
        Node<V> n = root(cidr.family());
        IpAddress a = cidr.network();
        for (int i = 0; i < cidr.prefixLength() && n != null; i++) {
            n = bit(a, i) ? n.one : n.zero;
        }
        return n;
    }

    /** The value stored for exactly {@code cidr}. */
    public Optional<V> get(Cidr cidr) {
        Node<V> n = find(cidr);
        return n == null || n.entry == null ? Optional.empty() : Optional.ofNullable(n.entry.value());
    }

    public boolean containsKey(Cidr cidr) {
        Node<V> n = find(cidr);
        return n != null && n.entry != null;
    }

    /** Removes the entry for exactly {@code cidr} (empty nodes stay; tries here are rebuilt rather than shrunk). */
    public V remove(Cidr cidr) {
        Node<V> n = find(cidr);
        if (n == null || n.entry == null) {
            return null;
        }
        V old = n.entry.value();
        n.entry = null;
        size--;
        return old;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The most specific stored block containing {@code address} (longest prefix match), as a router would pick. */
    public Optional<Entry<V>> longestMatch(IpAddress address) {
        return longestCovering(Cidr.host(address));
    }

    /** The most specific stored block that contains all of {@code cidr} (the block itself included). */
    public Optional<Entry<V>> longestCovering(Cidr cidr) {
        Node<V> n = root(cidr.family());
        IpAddress a = cidr.network();
        Entry<V> best = n.entry;
        for (int i = 0; i < cidr.prefixLength(); i++) {
            n = bit(a, i) ? n.one : n.zero;
            if (n == null) {
                break;
            }
            if (n.entry != null) {
                best = n.entry;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every stored block that contains {@code cidr} (itself included), shortest prefix first. */
    public List<Entry<V>> covering(Cidr cidr) {
        List<Entry<V>> out = new ArrayList<>();
        forEachCovering(cidr, (c, v) -> out.add(new Entry<>(c, v)));
        return out;
    }

    /** Calls {@code action} for every stored block containing {@code cidr}, shortest first, without allocating a list. */
    public void forEachCovering(Cidr cidr, BiConsumer<Cidr, V> action) {
        Node<V> n = root(cidr.family());
        IpAddress a = cidr.network();
        int len = cidr.prefixLength();
        for (int i = 0; ; i++) {
            if (n.entry != null) {
                action.accept(n.entry.cidr(), n.entry.value());
            }
            if (i == len) {
                return;
            }
            n = bit(a, i) ? n.one : n.zero;
            if (n == null) {
                return;
            }
        }
    }

    /** Every stored block inside {@code cidr} (itself included), in address order, shorter first at equal address. */
    public List<Entry<V>> inside(Cidr cidr) {
        List<Entry<V>> out = new ArrayList<>();
        Node<V> n = find(cidr);
        if (n != null) {
            collect(n, out);
        }
        return out;
    }

    /** Whether some stored block lies strictly inside {@code cidr} (more specific than it). */
    public boolean hasMoreSpecific(Cidr cidr) {
        Node<V> n = find(cidr);
        return n != null && (nonEmpty(n.zero) || nonEmpty(n.one));
    }

    private static <V> boolean nonEmpty(Node<V> n) {
        if (n == null) {
            return false;
        }
        return n.entry != null || nonEmpty(n.zero) || nonEmpty(n.one);
    }

    /** Every stored block that shares an address with {@code cidr}: those covering it, then those inside it. */
    public List<Entry<V>> overlapping(Cidr cidr) {
        List<Entry<V>> out = covering(cidr);
        if (!out.isEmpty() && out.get(out.size() - 1).cidr().equals(cidr)) {
            out.remove(out.size() - 1); // inside() reports the block itself again
        }
        out.addAll(inside(cidr));
        return out;
    }

    /** Whether any stored block overlaps {@code cidr}. */
    public boolean overlapsAny(Cidr cidr) {
        Node<V> n = root(cidr.family());
        IpAddress a = cidr.network();
        for (int i = 0; i < cidr.prefixLength(); i++) {
            if (n.entry != null) {
                return true;
            }
            n = bit(a, i) ? n.one : n.zero;
            if (n == null) {
                return false;
            }
        }
        return nonEmpty(n);
    }

    /** Every entry, IPv4 first, in address order. */
    public List<Entry<V>> entries() {
        List<Entry<V>> out = new ArrayList<>(size);
        collect(v4, out);
        collect(v6, out);
        return out;
    }

    private static <V> void collect(Node<V> start, List<Entry<V>> out) {
        // iterative pre-order walk: a /128 chain is deep enough to make recursion costly
        ArrayList<Node<V>> stack = new ArrayList<>();
        stack.add(start);
        while (!stack.isEmpty()) {
            Node<V> n = stack.remove(stack.size() - 1);
            if (n.entry != null) {
                out.add(n.entry);
            }
            if (n.one != null) {
                stack.add(n.one);
            }
            if (n.zero != null) {
                stack.add(n.zero);
            }
        }
    }
}
