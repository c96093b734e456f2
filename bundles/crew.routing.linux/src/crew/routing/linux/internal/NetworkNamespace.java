package crew.routing.linux.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.jna.LastErrorException;

import crew.routing.api.RoutingException;

/**
 * Runs code inside a named network namespace: on a fresh thread that enters the namespace with setns(2) and ends
 * afterwards, so no pooled thread is left in a foreign namespace. Sockets created there stay in that namespace.
 */
final class NetworkNamespace {

    private NetworkNamespace() {
    }

    /** Where {@code ip netns} keeps its namespaces. */
    static String path(String name) {
        return name.startsWith("/") ? name : "/var/run/netns/" + name;
    }

    /**
     * Creates a new, empty network namespace that belongs to this process only (unshare(2) on a throw-away thread)
     * and returns an open descriptor of it; {@link #call(int, Callable)} enters it. It lives while the descriptor or
     * a socket in it is open: a private sandbox for benchmarks and what-if runs, no `ip netns` needed.
     */
    static int createPrivate() throws RoutingException {
        AtomicReference<Integer> fd = new AtomicReference<>();
        AtomicReference<RoutingException> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Libc.INSTANCE.unshare(Libc.CLONE_NEWNET);
                fd.set(Libc.INSTANCE.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC));
            } catch (LastErrorException e) {
                failure.set(new RoutingException("create a private network namespace", e.getErrorCode(), Libc.INSTANCE.strerror(e.getErrorCode())));
            }
        }, "crew-netns-private");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return fd.get();
    }

    /** Runs {@code work} on a fresh thread inside the namespace whose descriptor is {@code nsFd}. */
    static <T> T call(int nsFd, Callable<T> work) throws RoutingException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Libc.INSTANCE.setns(nsFd, Libc.CLONE_NEWNET);
                result.set(work.call());
            } catch (LastErrorException e) {
                failure.set(new RoutingException("enter a private network namespace", e.getErrorCode(), Libc.INSTANCE.strerror(e.getErrorCode())));
            } catch (Exception e) {
                failure.set(e);
            }
        }, "crew-netns-fd");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() instanceof RoutingException re) {
            throw re;
        }
        if (failure.get() != null) {
            throw new RoutingException("work in a private network namespace", 0, failure.get().toString());
        }
        return result.get();
    }

    static <T> T call(String name, Callable<T> work) throws RoutingException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            int fd;
            try {
                fd = Libc.INSTANCE.open(path(name), Libc.O_RDONLY | Libc.O_CLOEXEC);
            } catch (LastErrorException e) {
                failure.set(new RoutingException("open network namespace " + name + " (" + path(name) + ")", e.getErrorCode(),
                        Libc.INSTANCE.strerror(e.getErrorCode())));
                return;
            }
            try {
                Libc.INSTANCE.setns(fd, Libc.CLONE_NEWNET);
                result.set(work.call());
            } catch (LastErrorException e) {
                failure.set(new RoutingException("enter network namespace " + name, e.getErrorCode(), Libc.INSTANCE.strerror(e.getErrorCode())));
            } catch (Throwable e) { // an Error too: a silently dead thread would look like a null result
                failure.set(e);
            } finally {
                Libc.INSTANCE.close(fd);
            }
        }, "crew-netns-" + name);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RoutingException("enter network namespace " + name, RoutingException.EINVAL, "interrupted");
        }
        Throwable e = failure.get();
        if (e instanceof RoutingException re) {
            throw re;
        }
        if (e != null) {
            RoutingException wrapped = new RoutingException("work in network namespace " + name, 0, e.toString());
            wrapped.initCause(e); // the work's own exception, for callers that want it
            throw wrapped;
        }
        return result.get();
    }
}
