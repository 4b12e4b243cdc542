package io.kdeploy.core.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads the previous manifest and looks up the destination's copies of its files on a second thread while the planner
 * walks the source: an unchanged re-install is a manifest parse and two {@code lstat}s per file, and on two cores they
 * overlap. A path the thread has not reached yet, or could not look up, is simply not known; the planner then looks
 * itself. Both happen under the node lock while the plan is made, so a looked-up answer is as current as the planner's own
 * would be.
 */
final class DestinationStats implements AutoCloseable {
    /** From this many files on a second thread pays for itself. */
    static final int WORTH_A_THREAD = 256;
    private static final Object MISSING = new Object();

    private final ConcurrentHashMap<String, Object> known = new ConcurrentHashMap<>();
    private final CompletableFuture<@Nullable Manifest> manifest = new CompletableFuture<>();
    private volatile boolean stopped;

    private DestinationStats() {}

    /**
     * Reads the previous manifest with {@code read} and then, when {@code lookUp} and it lists at least
     * {@link #WORTH_A_THREAD} files, looks those up in manifest order, all on one daemon thread: the caller walks the source
     * meanwhile and asks for the manifest with {@link #manifest()} when it needs it.
     */
    static DestinationStats afterManifest(Path dest, Supplier<@Nullable Manifest> read, boolean lookUp) {
        DestinationStats s = new DestinationStats();
        Thread t = new Thread(() -> {
            Manifest m;
            try {
                m = read.get();
            } catch (RuntimeException | Error e) {
                s.manifest.completeExceptionally(e);
                return;
            }
            s.manifest.complete(m);
            if (lookUp && m != null) {
                List<String> files = new ArrayList<>();
                for (ManifestEntry e : m.entries()) {
                    if (e.type() == ManifestEntry.Type.FILE) {
                        files.add(e.path());
                    }
                }
                if (files.size() >= WORTH_A_THREAD) {
                    s.lookUp(dest, files);
                }
            }
        }, "kdeploy-stat");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /**
     * The previous manifest, null when there is none; waits for the thread to have read it.
     *
     * @throws RuntimeException what reading it threw (a malformed or unsafe manifest)
     */
    @Nullable Manifest manifest() {
        try {
            return manifest.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
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
