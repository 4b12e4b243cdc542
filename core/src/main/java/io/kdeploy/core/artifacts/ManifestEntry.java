package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One file or symlink an install put into the destination, as the manifest records it.
 *
 * @param path relative to the destination, {@code /}-separated, e.g. {@code bin/containerd-shim-kata-v2}
 * @param type what it is
 * @param size the size in bytes (0 for a symlink)
 * @param sha256 the lowercase hex SHA-256 of the content; {@code null} for a symlink
 * @param mode the POSIX permission bits, e.g. {@code 0755} (0 for a symlink)
 * @param link the symlink's target, relative to its directory; {@code null} for a file
 * @param mtime the modification time the file was given (ISO-8601 instant), {@code null} for a symlink and a generated file
 * @param generated true for a file kdeploy wrote itself (per-shim configurations and drop-ins) rather than copied
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestEntry(
        String path,
        Type type,
        long size,
        @Nullable String sha256,
        int mode,
        @Nullable String link,
        @Nullable String mtime,
        boolean generated) {

    /** What a manifest entry is. */
    public enum Type {
        /** A regular file. */
        FILE,
        /** A symbolic link. */
        SYMLINK
    }

    public ManifestEntry {
        requireNonNull(path, "path");
        requireNonNull(type, "type");
        if (type == Type.FILE && sha256 == null) {
            throw new IllegalArgumentException("manifest entry " + path + ": a file needs its sha256");
        }
        if (type == Type.SYMLINK && link == null) {
            throw new IllegalArgumentException("manifest entry " + path + ": a symlink needs its target");
        }
    }

    /**
     * Field by field, as the record's own would. Written out because a record's generated {@code equals} runs through
     * method handles, which cost ~7 µs a call until compiled: comparing a 2,000-entry manifest, as every re-install does,
     * took ~14 ms of its start-up.
     */
    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ManifestEntry)) {
            return false;
        }
        ManifestEntry e = (ManifestEntry) o;
        return size == e.size && mode == e.mode && generated == e.generated && type == e.type && path.equals(e.path)
                && Objects.equals(sha256, e.sha256) && Objects.equals(link, e.link) && Objects.equals(mtime, e.mtime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, type, size, sha256, mode, link, mtime, generated);
    }
}
