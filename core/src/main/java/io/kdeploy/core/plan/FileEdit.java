package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.toml.TomlEdit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One file a plan changes.
 *
 * @param path the node path, e.g. {@code /etc/containerd/config.toml} (resolved under the host root when applied)
 * @param before the bytes the file must still have when the plan is applied, {@code null} when it must be absent
 * @param after the new bytes, {@code null} to delete the file
 * @param baseline the file without any of this install's edits ({@code null}: absent without us); what an exact undo puts back
 * @param mode POSIX permission bits for a created file (an existing file keeps its own)
 * @param undo the structural edits that take this install's changes out of {@code after} again, in order; used when someone
 *     else changed the file after us and the baseline bytes can no longer simply be put back
 */
public record FileEdit(
        String path, @Nullable Bytes before, @Nullable Bytes after, @Nullable Bytes baseline, int mode, List<TomlEdit> undo) {
    public FileEdit {
        requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a FileEdit path is a node path and must be absolute: " + path);
        }
        undo = List.copyOf(requireNonNull(undo, "undo"));
    }

    /** True when applying this edit changes nothing. */
    public boolean isNoop() {
        return before == null ? after == null : before.equals(after);
    }
}
