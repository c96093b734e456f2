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

    static <T> T call(String name, Callable<T> work) throws RoutingException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
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
            } catch (Exception e) {
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
        Exception e = failure.get();
        if (e instanceof RoutingException re) {
            throw re;
        }
        if (e != null) {
            throw new RoutingException("work in network namespace " + name, 0, e.toString());
        }
        return result.get();
    }
}
