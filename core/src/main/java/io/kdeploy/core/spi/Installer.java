package io.kdeploy.core.spi;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.artifacts.ArtifactPlan;
import io.kdeploy.core.artifacts.ArtifactResult;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.InstallOptions;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.artifacts.UninstallReport;
import java.nio.file.Path;

/**
 * Puts the Kata artifacts of an install on a node and takes exactly them off again. Found with {@link java.util.ServiceLoader};
 * the built-in implementation is {@link io.kdeploy.core.artifacts.KataArtifactInstaller} (id {@code kata}). Implementations have
 * a public no-argument constructor that does no I/O.
 *
 * <p>The host root is the directory the node's {@code /} is visible at ({@code /} on the node itself, a mount in a pod, a temp
 * directory in tests). Every node path is resolved under it; a symlink leading out of it is refused.
 */
public interface Installer {

    /** A stable lowercase id, e.g. {@code kata}. */
    String id();

    /**
     * Reads the source and the destination and decides, file by file, what an install must do. Writes nothing. Every archive
     * entry and link is checked here, so a hostile source fails before the first byte is written.
     *
     * @param source a directory or a {@code .tar}, {@code .tar.gz} or {@code .tar.zst} whose root is the content of
     *     {@code /opt/kata}
     * @param spec the install; its prefix and suffix give the destination {@code <prefix>/opt/kata[-<suffix>]}
     * @param hostRoot where the node's {@code /} is
     * @param options how thoroughly to compare (fast path or full hashing)
     * @throws io.kdeploy.core.UnsafePathException when an entry, a link or the destination would leave its place
     * @throws io.kdeploy.core.InvalidSpecException when the source cannot be used for the spec (e.g. a shim's base
     *     configuration is missing)
     */
    ArtifactPlan plan(ArtifactSource source, DeploySpec spec, Path hostRoot, InstallOptions options);

    /** {@link #plan(ArtifactSource, DeploySpec, Path, InstallOptions)} with the default options (rsync-like fast path). */
    default ArtifactPlan plan(ArtifactSource source, DeploySpec spec, Path hostRoot) {
        return plan(source, spec, hostRoot, InstallOptions.DEFAULTS);
    }

    /**
     * Carries out a plan: writes each changed file atomically, removes what the new version no longer ships, writes the
     * manifest. Applying a plan without changes writes nothing.
     *
     * @param plan a plan from {@link #plan}
     * @param progress told about files and bytes as they are written; never about terminals
     */
    ArtifactResult apply(ArtifactPlan plan, ProgressListener progress);

    /** {@link #apply(ArtifactPlan, ProgressListener)} without progress reports. */
    default ArtifactResult apply(ArtifactPlan plan) {
        return apply(plan, ProgressListener.NONE);
    }

    /**
     * Removes exactly the files the install's manifest lists whose content is still what was installed, then the directories
     * that became empty. Anything else (files someone added or changed) stays and is reported.
     *
     * @param spec the install to remove (its prefix and suffix name the destination)
     * @param hostRoot where the node's {@code /} is
     */
    UninstallReport uninstall(DeploySpec spec, Path hostRoot);
}
