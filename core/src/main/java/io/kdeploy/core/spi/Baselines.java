package io.kdeploy.core.spi;

import io.kdeploy.core.plan.Bytes;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * For each file an install touched before, what it looks like without that install's edits. Core computes it from the install
 * record (exact original bytes while the file is as we left it; a structural undo when someone edited it since).
 */
public interface Baselines {

    /** No earlier install: every file's baseline is its current content. */
    Baselines NONE = new Baselines() {
        @Override
        public @Nullable Bytes baseline(String nodePath, NodeFiles files) {
            return files.read(nodePath).orElse(null);
        }

        @Override
        public Set<String> recordedPaths() {
            return Set.of();
        }
    };

    /** The file without this install's earlier edits; {@code null} when it would not exist. */
    @Nullable Bytes baseline(String nodePath, NodeFiles files);

    /** The node paths the earlier install touched. */
    Set<String> recordedPaths();
}
