package io.kdeploy.core.artifacts;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Which directories of a destination are real. A path inside the destination is looked at, written or removed only when
 * each of its ancestors below the destination is a directory or absent: a symlink in place of one would lead the operation
 * somewhere else, even out of the host root, and a file there is not ours to write through. Each directory costs one
 * {@code lstat}, once.
 */
final class DestinationDirs {
    private final Path dest;
    private final Map<String, Boolean> checked = new HashMap<>();
    private final Map<String, String> notDirectories = new HashMap<>();

    DestinationDirs(Path dest) {
        this.dest = dest;
    }

    /** Whether the directory {@code dir} (relative to the destination) and its ancestors are real directories or absent. */
    boolean isReal(String dir) throws IOException {
        Boolean known = checked.get(dir);
        if (known != null) {
            return known;
        }
        int slash = dir.lastIndexOf('/');
        boolean ok = slash <= 0 || isReal(dir.substring(0, slash));
        if (ok) {
            BasicFileAttributes a = KataArtifactInstaller.lstat(dest.resolve(dir));
            if (a != null && !a.isDirectory()) {
                notDirectories.put(dir, a.isSymbolicLink() ? "a symlink" : "a file");
                ok = false;
            }
        }
        checked.put(dir, ok);
        return ok;
    }

    /** Whether every ancestor of {@code path} (relative to the destination) is a real directory or absent. */
    boolean parentsReal(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        return slash <= 0 || isReal(path.substring(0, slash));
    }

    /**
     * The outermost of {@code dir} and its ancestors that is not a directory, with what it is ({@code "a symlink"} or
     * {@code "a file"}); only for a {@code dir} that {@link #isReal} found not real.
     */
    Map.Entry<String, String> culprit(String dir) {
        for (int slash = dir.indexOf('/'); slash > 0; slash = dir.indexOf('/', slash + 1)) {
            String what = notDirectories.get(dir.substring(0, slash));
            if (what != null) {
                return Map.entry(dir.substring(0, slash), what);
            }
        }
        String what = notDirectories.get(dir);
        if (what == null) {
            throw new IllegalStateException(dir + " was not found to be other than a directory");
        }
        return Map.entry(dir, what);
    }
}
