package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.plan.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * What an install does with one path of the destination.
 *
 * @param path relative to the destination, {@code /}-separated
 * @param op what happens
 * @param type a file or a symlink
 * @param size the size the file will have (0 for a symlink)
 * @param mode the permission bits the file will have
 * @param mtime the modification time it will have (ISO-8601), {@code null} for a symlink or a generated file
 * @param link a symlink's target, relative to its directory
 * @param sha256 the content's hash when the plan already knows it; {@code null} when it is computed while writing
 * @param copyOf for a hard link in an archive: the path (relative to the destination) whose content this file copies
 * @param content for a generated file (per-shim configuration, drop-in): its bytes
 * @param reason why, in a few words ({@code new}, {@code size changed}, {@code unchanged (size and mtime)}, …)
 */
public record ArtifactAction(
        String path,
        Op op,
        ManifestEntry.Type type,
        long size,
        int mode,
        @Nullable String mtime,
        @Nullable String link,
        @Nullable String sha256,
        @Nullable String copyOf,
        @Nullable Bytes content,
        String reason) {

    /** What happens to a path. */
    public enum Op {
        /** Written (new or changed): temp file, fsync, rename. */
        WRITE,
        /** Content already right; only the mode or modification time are set. */
        METADATA,
        /** Nothing to do. */
        UNCHANGED,
        /** A file of the previous install that the new one does not ship; removed. */
        REMOVE,
        /** A file of the previous install the new one does not ship, but someone changed it: kept and reported. */
        LEAVE
    }

    public ArtifactAction {
        requireNonNull(path, "path");
        requireNonNull(op, "op");
        requireNonNull(type, "type");
        requireNonNull(reason, "reason");
    }

    /** True when this action writes or removes a file (what {@link ArtifactResult#artifactFilesWritten()} counts). */
    public boolean changesContent() {
        return op == Op.WRITE || op == Op.REMOVE;
    }

    /** True for a file kdeploy generates rather than copies from the source. */
    public boolean generated() {
        return content != null;
    }

    @Override
    public String toString() {
        return op + " " + path + " (" + reason + ")";
    }
}
