package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.toml.TomlDocument;
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
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode must be POSIX permission bits (0 to 07777): " + Integer.toOctalString(mode));
        }
        undo = List.copyOf(requireNonNull(undo, "undo"));
    }

    /**
     * The edit that turns {@code current} into {@code result}, remembering {@code baseline} and {@code result.undo()} so the
     * change can be taken out exactly later. When {@code current} already means the same as {@code result} (only the order of
     * array elements differs, e.g. another install appended its {@code imports} entry after ours), {@code current} is kept
     * and nothing is written.
     *
     * @param nodePath the node path of the file
     * @param current the file's content now, {@code null} when absent
     * @param baseline the file without this install's edits, {@code null} when it would not exist
     * @param result the document to write, usually {@code TomlDocument.parse(path, baseline).applyAll(...)}; {@code null}
     *     deletes the file
     * @param mode POSIX permission bits for a file this edit creates, e.g. {@code 0644}
     */
    public static FileEdit of(
            String nodePath, @Nullable Bytes current, @Nullable Bytes baseline, @Nullable TomlDocument result, int mode) {
        Bytes after = result == null ? null : result.bytes();
        if (result != null && current != null && !current.equals(after) && sameMeaning(nodePath, current, result)) {
            after = current;
        }
        return new FileEdit(nodePath, current, after, baseline, mode, result == null ? List.of() : result.undo());
    }

    private static boolean sameMeaning(String nodePath, Bytes current, TomlDocument result) {
        try {
            return TomlDocument.parse(nodePath, current).meansTheSameAs(result);
        } catch (MalformedConfigException e) {
            return false;
        }
    }

    /** True when applying this edit changes nothing. */
    public boolean isNoop() {
        return before == null ? after == null : before.equals(after);
    }

    /** True when this edit puts the file back to its baseline (it takes this install's changes out). */
    public boolean restoresBaseline() {
        return baseline == null ? after == null : baseline.equals(after);
    }
}
