package crew.agent.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;

/** The user and group database and descriptor calls the agent needs (glibc, LP64). */
final class Posix {

    interface Libc extends Library {
        Libc INSTANCE = Native.load("c", Libc.class);

        Passwd getpwnam(String name);

        Group getgrnam(String name);

        int getgrouplist(String user, int group, int[] groups, IntByReference ngroups);

        int dup2(int oldfd, int newfd) throws LastErrorException;

        int getpid();
    }

    /** struct passwd. */
    @Structure.FieldOrder({"pw_name", "pw_passwd", "pw_uid", "pw_gid", "pw_gecos", "pw_dir", "pw_shell"})
    public static class Passwd extends Structure {
        public String pw_name;
        public String pw_passwd;
        public int pw_uid;
        public int pw_gid;
        public String pw_gecos;
        public String pw_dir;
        public String pw_shell;

        public Passwd() {
        }

        public Passwd(Pointer p) {
            super(p);
            read();
        }
    }

    /** struct group. */
    @Structure.FieldOrder({"gr_name", "gr_passwd", "gr_gid", "gr_mem"})
    public static class Group extends Structure {
        public String gr_name;
        public String gr_passwd;
        public int gr_gid;
        public Pointer gr_mem;

        public Group() {
        }

        public Group(Pointer p) {
            super(p);
            read();
        }
    }

    /** A user's uid, primary gid and every group the group database gives it. */
    record User(String name, int uid, int gid, List<Integer> groups) {
    }

    private Posix() {
    }

    /** getpwnam and getgrouplist share static buffers: one caller at a time. */
    static synchronized Optional<User> user(String name) {
        Passwd p = Libc.INSTANCE.getpwnam(name);
        if (p == null) {
            return Optional.empty();
        }
        int uid = p.pw_uid;
        int gid = p.pw_gid;
        int[] groups = new int[64];
        IntByReference n = new IntByReference(groups.length);
        if (Libc.INSTANCE.getgrouplist(name, gid, groups, n) < 0) {
            groups = new int[n.getValue()];
            n = new IntByReference(groups.length);
            Libc.INSTANCE.getgrouplist(name, gid, groups, n);
        }
        return Optional.of(new User(name, uid, gid, Arrays.stream(groups, 0, n.getValue()).boxed().toList()));
    }

    static synchronized Optional<Integer> groupId(String name) {
        Group g = Libc.INSTANCE.getgrnam(name);
        return g == null ? Optional.empty() : Optional.of(g.gr_gid);
    }

    static void dup2(int from, int to) {
        Libc.INSTANCE.dup2(from, to);
    }

    static int pid() {
        return Libc.INSTANCE.getpid();
    }
}
