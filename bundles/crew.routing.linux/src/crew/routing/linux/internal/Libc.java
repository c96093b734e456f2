package crew.routing.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc calls CREW needs to set up netlink sockets, network namespaces and their mounts (size_t/ssize_t as long:
 * LP64 Linux). The per-message calls, recv and sendto, are direct-mapped in {@link NetlinkIo}.
 */
interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_SNDBUF = 7;
    int SO_RCVTIMEO = 20;
    int SO_RCVBUFFORCE = 33;
    int SO_SNDBUFFORCE = 32;
    int SOL_NETLINK = 270;
    int NETLINK_ADD_MEMBERSHIP = 1;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int O_WRONLY = 1;
    int O_CREAT = 0x40;
    int O_EXCL = 0x80;
    int CLONE_NEWNET = 0x40000000;
    int PRIO_PROCESS = 0;
    long MS_BIND = 0x1000;
    long MS_REC = 0x4000;
    long MS_SHARED = 1 << 20;
    int MNT_DETACH = 2;
    int ENOENT = 2;
    int EEXIST = 17;
    int EINVAL = 22;
    int EAGAIN = 11;
    int EINTR = 4;
    int ENOBUFS = 105;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] address, int length) throws LastErrorException;

    int setsockopt(int fd, int level, int option, int[] value, int length) throws LastErrorException;

    int setsockopt(int fd, int level, int option, long[] value, int length) throws LastErrorException;

    int close(int fd);

    int open(String path, int flags) throws LastErrorException;

    /** open(2) with a mode, for O_CREAT (the variadic argument is passed like a fixed one on x86-64 and arm64). */
    int open(String path, int flags, int mode) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int mount(String source, String target, String filesystemType, long flags, com.sun.jna.Pointer data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int unlink(String path) throws LastErrorException;

    long write(int fd, byte[] buffer, long length) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    /** setpriority(2); on Linux, PRIO_PROCESS with who 0 sets the nice value of the calling thread only. */
    int setpriority(int which, int who, int nice) throws LastErrorException;

    String strerror(int errno);
}
