package crew.routing.macos.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/** The few libSystem calls the routing socket needs, literal as in the C headers (macOS only: loaded on first use). */
interface SystemLibrary extends Library {

    int SOCK_RAW = 3;
    int SOL_SOCKET = 0xffff;
    int SO_RCVBUF = 0x1002;
    int SO_RCVTIMEO = 0x1006;
    int EAGAIN = 35;
    int EINTR = 4;

    static SystemLibrary load() {
        return Native.load("System", SystemLibrary.class);
    }

    int sysctl(int[] name, int namelen, byte[] oldp, LongByReference oldlenp, Pointer newp, long newlen) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int setsockopt(int fd, int level, int option, byte[] value, int len) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int getuid();

    String strerror(int errno);

    String if_indextoname(int index, byte[] name);

    int if_nametoindex(String name);
}
