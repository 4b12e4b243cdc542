package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import java.nio.file.attribute.FileTime;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a source tree, its name already checked and normalised.
 *
 * @param path relative, {@code /}-separated, no {@code .} or {@code ..} segments
 * @param kind what it is
 * @param size the content size of a file (0 otherwise)
 * @param mode permission bits ({@code 0777} mask)
 * @param mtime the modification time of a file
 * @param link a symlink's target as rewritten to a relative path inside the tree, or a hard link's target entry path
 */
record SourceEntry(String path, Kind kind, long size, int mode, @Nullable FileTime mtime, @Nullable String link) {

    /** Entry kinds a source may contain; anything else (devices, fifos) is refused. */
    enum Kind {
        FILE,
        DIRECTORY,
        SYMLINK,
        HARDLINK
    }

    SourceEntry {
        requireNonNull(path, "path");
        requireNonNull(kind, "kind");
    }

    /** The modification time as recorded in the manifest. */
    @Nullable String mtimeText() {
        return mtime == null ? null : Mtimes.format(mtime);
    }
}
