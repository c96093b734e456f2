package crew.routing.linux.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.sun.jna.LastErrorException;

import crew.routing.api.RoutingException;
import crew.routing.linux.netlink.RtnetlinkCodec;

/**
 * Named network namespaces the way iproute2's {@code ip netns} keeps them: a file /var/run/netns/NAME on which the
 * namespace is bind-mounted, so that it outlives every process in it. The implementation behind
 * {@link crew.routing.linux.LinuxNetwork}.
 */
public final class NamedNamespaces {
    static final String RUN_DIR = "/var/run/netns";

    private NamedNamespaces() {
    }

    /** A name {@code ip netns} accepts: not empty, not '.' or '..', no '/', at most 255 bytes. */
    public static String checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.getBytes(StandardCharsets.UTF_8).length > 255 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a valid network namespace name (no '/', not '.' or '..', 1..255 bytes)");
        }
        return name;
    }

    private static RoutingException error(String what, LastErrorException e) {
        return new RoutingException(what, e.getErrorCode(), Libc.INSTANCE.strerror(e.getErrorCode()));
    }

    public static void create(String name) throws RoutingException {
        checkName(name);
        String what = "create network namespace " + name;
        try {
            Files.createDirectories(Path.of(RUN_DIR));
        } catch (IOException e) {
            throw new RoutingException(what + ": create " + RUN_DIR, 0, e.toString());
        }
        makeSharedMountPoint(what);
        String path = NetworkNamespace.path(name);
        try {
            int fd = Libc.INSTANCE.open(path, Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
            Libc.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            throw error(what + ": create " + path, e);
        }
        AtomicReference<RoutingException> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            // this thread alone moves to the new namespace and ends afterwards; the bind mount keeps the namespace
            try {
                Libc.INSTANCE.unshare(Libc.CLONE_NEWNET);
            } catch (LastErrorException e) {
                failure.set(error(what + ": unshare(CLONE_NEWNET)", e));
                return;
            }
            try {
                Libc.INSTANCE.mount("/proc/thread-self/ns/net", path, "none", Libc.MS_BIND, null);
            } catch (LastErrorException e) {
                failure.set(error(what + ": bind-mount /proc/thread-self/ns/net on " + path, e));
                return;
            }
            try (NetlinkSocket socket = new NetlinkSocket(0, 1 << 16)) {
                socket.request(RtnetlinkCodec.setLinkRequest(socket.nextSequence(), "lo", true, 0), what + ": set interface lo up");
            } catch (RoutingException e) {
                failure.set(e);
            }
        }, "crew-netns-create-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new RoutingException(what, Libc.EINTR, "interrupted"));
        }
        if (failure.get() != null) {
            delete(name); // no half-made namespace left behind
            throw failure.get();
        }
    }

    /**
     * Makes /var/run/netns a mount point with shared propagation, like iproute2: then a namespace mounted there is
     * seen by mount namespaces created later too (a namespace mounted on a private mount would not be).
     */
    private static void makeSharedMountPoint(String what) throws RoutingException {
        boolean madeMountPoint = false;
        while (true) {
            try {
                Libc.INSTANCE.mount("", RUN_DIR, "none", Libc.MS_SHARED | Libc.MS_REC, null);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Libc.EINVAL || madeMountPoint) {
                    throw error(what + ": make " + RUN_DIR + " a shared mount", e);
                }
            }
            try { // EINVAL: not a mount point yet; bind-mount the directory on itself to make it one
                Libc.INSTANCE.mount(RUN_DIR, RUN_DIR, "none", Libc.MS_BIND | Libc.MS_REC, null);
            } catch (LastErrorException e) {
                throw error(what + ": bind-mount " + RUN_DIR + " on itself", e);
            }
            madeMountPoint = true;
        }
    }

    /** Unmounts (lazily) and removes the namespace file; a missing namespace is not an error. */
    public static void delete(String name) throws RoutingException {
        checkName(name);
        String what = "delete network namespace " + name;
        String path = NetworkNamespace.path(name);
        try {
            Libc.INSTANCE.umount2(path, Libc.MNT_DETACH);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Libc.EINVAL && e.getErrorCode() != Libc.ENOENT) { // not mounted, or not there
                throw error(what + ": unmount " + path, e);
            }
        }
        try {
            Libc.INSTANCE.unlink(path);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Libc.ENOENT) {
                throw error(what + ": remove " + path, e);
            }
        }
    }

    public static boolean exists(String name) {
        checkName(name);
        return Files.exists(Path.of(NetworkNamespace.path(name)));
    }

    /** The names in /var/run/netns, sorted. */
    public static List<String> list() throws RoutingException {
        Path dir = Path.of(RUN_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new RoutingException("list network namespaces in " + RUN_DIR, 0, e.toString());
        }
    }

    /** Runs {@code work} on a fresh thread inside the namespace ({@code null}: this process's namespace, this thread). */
    public static <T> T call(String name, Callable<T> work) throws RoutingException {
        if (name == null) {
            try {
                return work.call();
            } catch (RoutingException e) {
                throw e;
            } catch (Exception e) {
                RoutingException wrapped = new RoutingException("work in this network namespace", 0, e.toString());
                wrapped.initCause(e);
                throw wrapped;
            }
        }
        checkName(name);
        return NetworkNamespace.call(name, work);
    }

    /** The /proc/sys file of a net.* key: dots become slashes unless the key already uses slashes (sysctl's rule). */
    static Path sysctlPath(String key) {
        if (key == null || !(key.startsWith("net.") || key.startsWith("net/")) || key.contains("..") || key.contains("//")
                || key.endsWith(".") || key.endsWith("/") || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("sysctl key '" + key + "' is not a net.* key: only those are per network namespace");
        }
        return Path.of("/proc/sys", key.indexOf('/') >= 0 ? key : key.replace('.', '/'));
    }

    public static void sysctl(String namespace, String key, String value) throws RoutingException {
        Path path = sysctlPath(key);
        String what = "set sysctl " + key + " = " + value + (namespace == null ? "" : " in namespace " + namespace);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        call(namespace, () -> {
            int fd;
            try {
                fd = Libc.INSTANCE.open(path.toString(), Libc.O_WRONLY | Libc.O_CLOEXEC);
            } catch (LastErrorException e) {
                throw error(what + ": open " + path, e);
            }
            try {
                Libc.INSTANCE.write(fd, bytes, bytes.length);
            } catch (LastErrorException e) {
                throw error(what, e);
            } finally {
                Libc.INSTANCE.close(fd);
            }
            return null;
        });
    }

    public static String sysctl(String namespace, String key) throws RoutingException {
        Path path = sysctlPath(key);
        String what = "read sysctl " + key + (namespace == null ? "" : " in namespace " + namespace);
        return call(namespace, () -> {
            try {
                return Files.readString(path).strip();
            } catch (NoSuchFileException e) {
                throw new RoutingException(what, Libc.ENOENT, "No such file or directory: " + path);
            } catch (IOException e) {
                throw new RoutingException(what, 0, e.toString());
            }
        });
    }

    public static String nft(String namespace, String script) throws RoutingException {
        return call(namespace, () -> Nftables.run(script));
    }

    public static String[] command(String namespace, String... command) {
        checkName(namespace);
        if (command.length == 0) {
            throw new IllegalArgumentException("no command to run in network namespace " + namespace);
        }
        List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + NetworkNamespace.path(namespace), "--"));
        argv.addAll(List.of(command));
        return argv.toArray(String[]::new);
    }
}
