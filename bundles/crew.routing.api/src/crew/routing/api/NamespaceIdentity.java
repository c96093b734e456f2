package crew.routing.api;

/**
 * Which network namespace a backend works in, precisely enough that a journal written in one is never replayed in
 * another: the name {@code ip netns} gives it (null for the CREW process's own namespace, the host's), the kernel's
 * inode number of the namespace, and the boot it was seen in. A namespace deleted and created again under the same
 * name has another inode; no named namespace outlives a reboot.
 *
 * @param name   the {@code ip netns} name, or null for the namespace of the CREW process itself
 * @param inode  the namespace's inode number (nsfs), as {@code ls -iL /var/run/netns/NAME} or {@code readlink
 *               /proc/self/ns/net} show it
 * @param bootId the kernel's boot id (/proc/sys/kernel/random/boot_id) when the identity was taken
 */
public record NamespaceIdentity(String name, long inode, String bootId) {

    /** Whether this is the CREW process's own namespace (no {@code ip netns} name). */
    public boolean isProcessNamespace() {
        return name == null;
    }

    /**
     * Whether a journal written in {@code this} namespace belongs to the one {@code now} describes. The same boot: the
     * same inode. Another boot: only the host's namespace is the same again (the device itself); a named namespace
     * of an earlier boot is gone, whatever now carries its name.
     */
    public boolean sameAs(NamespaceIdentity now) {
        if (bootId != null && bootId.equals(now.bootId)) {
            return inode == now.inode;
        }
        return isProcessNamespace() && now.isProcessNamespace();
    }

    /** How a user names it: "network namespace NAME" or "the host's network namespace". */
    public String describe() {
        return name == null ? "the host's network namespace (net:[" + inode + "])" : "network namespace " + name + " (net:[" + inode + "])";
    }
}
