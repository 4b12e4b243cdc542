package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an install put into its destination, stored as {@code <dest>/.kdeploy-manifest.json}. It makes the fast path possible
 * (a file whose size and modification time still match is not read) and drives the exact uninstall.
 *
 * @param version the format version, {@link #FORMAT}
 * @param dest the destination's node path, e.g. {@code /opt/kata}
 * @param entries every file and symlink, sorted by path
 */
public record Manifest(int version, String dest, List<ManifestEntry> entries) {
    /** The current format version. */
    public static final int FORMAT = 1;

    /** The manifest's file name inside the destination. */
    public static final String FILE_NAME = ".kdeploy-manifest.json";

    /**
     * The versions an unfinished install may have left, kept beside the manifest while an install puts its files into place
     * (the previous install's manifest, plus those of earlier interrupted installs: a path may be listed more than once).
     * Uninstall takes a file as ours when it matches any of them or the manifest; the next install removes a file it no
     * longer ships in the same case, and deletes this file when it has finished.
     */
    public static final String PREVIOUS_FILE_NAME = ".kdeploy-manifest.previous.json";

    /** Whether {@code path} (relative to a destination) is one of kdeploy's own manifest files, never an artifact. */
    public static boolean isManifestFile(String path) {
        return path.equals(FILE_NAME) || path.equals(PREVIOUS_FILE_NAME);
    }

    public Manifest {
        requireNonNull(dest, "dest");
        entries = List.copyOf(requireNonNull(entries, "entries"));
    }

    /** Field by field; see {@link ManifestEntry#equals} for why it is written out. */
    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Manifest)) {
            return false;
        }
        Manifest m = (Manifest) o;
        return version == m.version && dest.equals(m.dest) && entries.equals(m.entries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, dest, entries);
    }

    /** The entries by path, in manifest order. */
    public Map<String, ManifestEntry> byPath() {
        Map<String, ManifestEntry> m = new LinkedHashMap<>();
        for (ManifestEntry e : entries) {
            m.put(e.path(), e);
        }
        return m;
    }
}
