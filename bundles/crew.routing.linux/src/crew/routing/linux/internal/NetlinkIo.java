package crew.routing.linux.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The two libc calls on the hot path of every event and every change, bound by JNA direct mapping
 * ({@link Native#register}): a static native method per call, no {@code Library} proxy, no reflection and no argument
 * conversion per call, and no exception for an expected errno. They return -1 on failure and the caller reads errno
 * with {@link #errno()} (JNA keeps the value of the calling thread). The interface mapping {@link Libc} stays for
 * the calls that are rare (socket setup, namespaces, mounts), where its exceptions read better.
 *
 * <p>Measured here: a direct {@code recv} that fails with EAGAIN costs about 0.7 us; the same call through the
 * interface mapping with {@code throws LastErrorException} about 10 us, most of it building the exception.
 */
final class NetlinkIo {
    static {
        Native.register(NetlinkIo.class, NativeLibrary.getInstance("c"));
    }

    private NetlinkIo() {
    }

    /** recv(2) into native memory; -1 and {@link #errno()} on failure. */
    static native long recv(int fd, Pointer buffer, long length, int flags);

    /** sendto(2) of {@code length} bytes of {@code buffer}; -1 and {@link #errno()} on failure. */
    static native long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

    /** The errno of the calling thread's last native call. */
    static int errno() {
        return Native.getLastError();
    }
}
