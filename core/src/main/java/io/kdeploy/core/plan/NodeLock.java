package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import io.kdeploy.core.LockTimeoutException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The node lock {@code <host-root>/run/lock/kdeploy.lock}: an exclusive {@link FileLock} that serialises kdeploy runs on a
 * node (between processes, and between threads of one process). The thread that holds it may take it again (re-entrant).
 */
public final class NodeLock implements AutoCloseable {
    /** The node path of the lock file. */
    public static final String NODE_PATH = "/run/lock/kdeploy.lock";
    private static final Map<Path, NodeLock> HELD = new HashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread owner;
    private int holds = 1;

    private NodeLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.owner = Thread.currentThread();
    }

    /**
     * Takes the node lock, waiting up to {@code timeout}.
     *
     * @throws LockTimeoutException when another run holds it for longer
     */
    public static NodeLock acquire(HostRoot root, Duration timeout) {
        requireNonNull(timeout, "timeout");
        Path file = root.resolve(NODE_PATH);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Files.createDirectories(file.getParent());
            while (true) {
                NodeLock got = tryOnce(file);
                if (got != null) {
                    return got;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new LockTimeoutException("node lock " + file + " was not acquired within " + timeout.toMillis()
                            + " ms: another kdeploy run on this node holds it. Wait for it to finish and run again, or"
                            + " raise the lock timeout.");
                }
                Thread.sleep(Math.min(50, Math.max(1, timeout.toMillis() / 10)));
            }
        } catch (IOException e) {
            throw new KdeployException("cannot open node lock " + file + ": " + e.getMessage()
                    + ". Check that the host root is writable.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("interrupted while waiting for node lock " + file + ".");
        }
    }

    private static NodeLock tryOnce(Path file) throws IOException {
        synchronized (HELD) {
            NodeLock held = HELD.get(file);
            if (held != null) {
                if (held.owner == Thread.currentThread()) {
                    held.holds++;
                    return held;
                }
                return null;
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                return null;
            }
            NodeLock n = new NodeLock(file, ch, l);
            HELD.put(file, n);
            return n;
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Releases one hold; the lock is released when the last hold is. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (--holds > 0) {
                return;
            }
            HELD.remove(file);
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new KdeployException("cannot release node lock " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
