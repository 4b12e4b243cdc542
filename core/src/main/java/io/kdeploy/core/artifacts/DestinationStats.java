package io.kdeploy.core.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Looks up the destination's copies of the previous manifest's files on a second thread while the planner walks the
 * source: an unchanged re-install is two {@code lstat}s per file, and on two cores they overlap. A path the thread has
 * not reached yet, or could not look up, is simply not known; the planner then looks itself. Both happen under the node
 * lock while the plan is made, so a looked-up answer is as current as the planner's own would be.
 */
final class DestinationStats implements AutoCloseable {
    /** From this many files on a second thread pays for itself. */
    static final int WORTH_A_THREAD = 256;
    private static final Object MISSING = new Object();

    private final ConcurrentHashMap<String, Object> known = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    private DestinationStats() {}

    /** Starts looking up {@code paths} (relative to {@code dest}) in this order, on a daemon thread. */
    static DestinationStats start(Path dest, List<String> paths) {
        DestinationStats s = new DestinationStats();
        Thread t = new Thread(() -> s.lookUp(dest, paths), "kdeploy-stat");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** Nothing looked up: every question is answered "not known". */
    static DestinationStats none() {
        DestinationStats s = new DestinationStats();
        s.stopped = true;
        return s;
    }

    private void lookUp(Path dest, List<String> paths) {
        for (String path : paths) {
            if (stopped) {
                return;
            }
            try {
                known.put(path, Files.readAttributes(dest.resolve(path), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            } catch (NoSuchFileException e) {
                known.put(path, MISSING);
            } catch (IOException | UnsupportedOperationException e) {
                known.remove(path); // the planner looks itself and reports what it finds
            }
        }
    }

    /**
     * What was found at {@code path}: its attributes, or {@link Lookup#ABSENT}; null when not known (look yourself). Each
     * answer is given once.
     */
    @Nullable Object take(String path) {
        Object v = known.remove(path);
        return v == MISSING ? Lookup.ABSENT : v;
    }

    /** The answer for a path that does not exist. */
    enum Lookup {
        /** Nothing at the path. */
        ABSENT
    }

    @Override
    public void close() {
        stopped = true;
    }
}
