package crew.agent.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is on the other end of an accepted connection, from the kernel (SO_PEERCRED, taken when the peer connected:
 * it cannot be changed afterwards), plus the supplementary groups the group database gives that user. The peer's
 * word is never asked.
 *
 * @param user   the user name the kernel's uid maps to (the uid as digits when it has no name)
 * @param uid    the uid, or -1 when the name is unknown to the user database
 * @param groups the gids of the user's groups (primary and supplementary)
 */
public record Peer(String user, int uid, List<Integer> groups) {

    /** The peer of an accepted Unix channel. */
    public static Peer of(SocketChannel channel) throws IOException {
        UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String name = p.user().getName();
        if (name.chars().allMatch(Character::isDigit)) {
            return new Peer(name, Integer.parseInt(name), List.of());
        }
        return Posix.user(name).map(u -> new Peer(name, u.uid(), u.groups())).orElse(new Peer(name, -1, List.of()));
    }

    public boolean isRoot() {
        return uid == 0;
    }

    @Override
    public String toString() {
        return user + " (uid " + uid + ")";
    }
}
