package io.kdeploy.core.spi;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link CriConfigurator} may look at while planning: the node's files, the spec, the runtime, what the file
 * looked like before this install's earlier edits, and whether the operator forced past conflicts.
 */
public record PlanContext(NodeFiles files, DeploySpec spec, RuntimeInfo runtime, Baselines baselines, boolean force) {
    public PlanContext {
        requireNonNull(files, "files");
        requireNonNull(spec, "spec");
        requireNonNull(runtime, "runtime");
        requireNonNull(baselines, "baselines");
    }

    /** A context for a node without an earlier install. */
    public static PlanContext fresh(NodeFiles files, DeploySpec spec, RuntimeInfo runtime) {
        return new PlanContext(files, spec, runtime, Baselines.NONE, false);
    }

    /** Where this install's Kata files live. */
    public KataLayout layout() {
        return new KataLayout(spec);
    }

    /** The current content of a file, {@code null} when absent. */
    public @Nullable Bytes current(String nodePath) {
        return files.read(nodePath).orElse(null);
    }

    /** The file without this install's earlier edits, {@code null} when it would not exist. */
    public @Nullable Bytes baseline(String nodePath) {
        return baselines.baseline(nodePath, files);
    }
}
