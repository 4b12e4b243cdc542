package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.toml.TomlEdit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What one install instance ({@code default} or its multi-install suffix) did to a node's config files, kept as JSON under
 * {@code <host-root>/var/lib/kdeploy/<instance>.json}. It is written before any file (write-ahead, state
 * {@link State#IN_PROGRESS}) and marked {@link State#COMPLETE} when the run finished, so an interrupted run is recognised.
 *
 * @param instance the install instance
 * @param state whether the run that last wrote it finished
 * @param files one entry per file the instance changed
 */
public record InstallRecord(String instance, State state, List<FileEntry> files) {
    private static final Pattern INSTANCE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Whether the run that last wrote the record finished. */
    public enum State {
        /** Written before the files; the run may have stopped half way. */
        IN_PROGRESS,
        /** Every file was written (and validated). */
        COMPLETE
    }

    public InstallRecord {
        requireNonNull(instance, "instance");
        requireNonNull(state, "state");
        files = List.copyOf(requireNonNull(files, "files"));
        if (!INSTANCE.matcher(instance).matches()) {
            throw new IllegalArgumentException("install instance '" + instance + "' must be lowercase letters, digits and"
                    + " '-' (a DNS label), e.g. 'default' or the MULTI_INSTALL_SUFFIX");
        }
    }

    /**
     * One file the instance changed.
     *
     * @param path node path
     * @param original the file without this instance's edits, {@code null} when the instance created it
     * @param undo the structural edits that take the instance's changes out of the written file, in order
     * @param afterSha256 SHA-256 of the file right after our write, {@code null} when our write deleted it
     * @param interimSha256 while a run is in progress: SHA-256 of our earlier write that the new one replaces
     */
    public record FileEntry(
            String path,
            @Nullable Bytes original,
            List<TomlEdit> undo,
            @Nullable String afterSha256,
            @Nullable String interimSha256) {
        public FileEntry {
            requireNonNull(path, "path");
            undo = List.copyOf(requireNonNull(undo, "undo"));
        }

        /** True when the instance created the file. */
        public boolean created() {
            return original == null;
        }

        /** True when {@code current} is exactly what one of our writes left (or the original). */
        public boolean isOurs(@Nullable Bytes current) {
            if (current == null) {
                return afterSha256 == null || original == null;
            }
            String h = current.sha256();
            return h.equals(afterSha256) || h.equals(interimSha256) || current.equals(original);
        }
    }

    /** The entry for a node path. */
    public Optional<FileEntry> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    /** The node paths in the record. */
    public Set<String> paths() {
        Set<String> out = new LinkedHashSet<>();
        files.forEach(f -> out.add(f.path()));
        return out;
    }

    /** True when the run that wrote the record did not finish. */
    public boolean inProgress() {
        return state == State.IN_PROGRESS;
    }
}
