package crew.tunnel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes a session's check of the other sessions and its start one step, so that two sessions starting at once cannot
 * both pass the check: a lock in this JVM (file locks are per process) and a file lock for other crew processes
 * ($CREW_HOME/tunnel/sessions.lock).
 */
final class SessionsLock implements AutoCloseable {
    private static final ReentrantLock LOCAL = new ReentrantLock();

    private final FileChannel channel;
    private final FileLock lock;

    private SessionsLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for the lock; close() releases it (on the same thread). */
    static SessionsLock take() throws IOException {
        LOCAL.lock();
        FileChannel channel = null;
        try {
            Path file = TunnelOptions.crewHome().resolve("tunnel").resolve("sessions.lock");
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new SessionsLock(channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            LOCAL.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            LOCAL.unlock();
        }
    }
}
