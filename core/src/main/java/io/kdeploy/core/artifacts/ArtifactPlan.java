package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an install will do, decided before anything is written: one action per path of the source, of the per-shim
 * configurations and of the previous manifest.
 *
 * @param source where the artifacts come from
 * @param spec the install planned; its {@link #layout()} names the node paths of the shim binaries and configurations
 * @param destination the destination on this machine (under the host root, symlinks resolved)
 * @param options how the plan compared files
 * @param actions one per path, sorted by path
 * @param directories directories of the source tree (relative, {@code /}-separated) with their permission bits
 * @param previous the manifest found in the destination, {@code null} on a fresh install
 * @param sourceStamp the archive's size and modification time when planned; {@link io.kdeploy.core.spi.Installer#apply} refuses an archive that
 *     changed since (empty for a directory)
 */
public record ArtifactPlan(
        ArtifactSource source,
        DeploySpec spec,
        Path destination,
        InstallOptions options,
        List<ArtifactAction> actions,
        Map<String, Integer> directories,
        @Nullable Manifest previous,
        String sourceStamp) {

    public ArtifactPlan {
        requireNonNull(source, "source");
        requireNonNull(spec, "spec");
        requireNonNull(destination, "destination");
        requireNonNull(options, "options");
        actions = List.copyOf(requireNonNull(actions, "actions"));
        directories = Map.copyOf(new TreeMap<>(requireNonNull(directories, "directories")));
        requireNonNull(sourceStamp, "sourceStamp");
    }

    /** Where the install's files live on the node: shim binaries and per-shim configurations for the configurers. */
    public KataLayout layout() {
        return new KataLayout(spec);
    }

    /** The destination's node path, e.g. {@code /opt/kata-dev}. */
    public String nodeDest() {
        return spec.destDir();
    }

    /** The actions that change anything on the node (writes, removals, metadata). */
    public List<ArtifactAction> changes() {
        return actions.stream().filter(a -> a.op() != ArtifactAction.Op.UNCHANGED).toList();
    }

    /** The number of files to write or remove. */
    public long filesToWrite() {
        return actions.stream().filter(ArtifactAction::changesContent).count();
    }

    /** The number of bytes to write. */
    public long bytesToWrite() {
        return actions.stream().filter(a -> a.op() == ArtifactAction.Op.WRITE).mapToLong(ArtifactAction::size).sum();
    }

    /** True when applying the plan changes nothing and the manifest is current. */
    public boolean isEmpty() {
        return changes().isEmpty() && previous != null;
    }
}
