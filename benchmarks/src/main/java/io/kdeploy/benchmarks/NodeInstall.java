package io.kdeploy.benchmarks;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ArtifactResult;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.InstallOptions;
import io.kdeploy.core.artifacts.KataArtifactInstaller;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.plan.ApplyResult;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.cri.containerd.ContainerdConfigurator;
import java.nio.file.Path;

/**
 * The node half of {@code kdeploy install} as one command, for {@code benchmarks/bench.sh} until the CLI's
 * {@code install} lands: {@code NodeInstall <source> <host-root> [--verify]} installs the {@code qemu} shim's artifacts
 * and registers its handler in the host's containerd 1.7 config, through the same core API the command uses.
 */
public final class NodeInstall {
    private NodeInstall() {}

    /** Runs one install and prints what it wrote. */
    public static void main(String[] args) {
        DeploySpec spec = DeploySpec.of("qemu");
        Path hostRoot = Path.of(args[1]);
        KataArtifactInstaller installer = new KataArtifactInstaller();
        InstallOptions options = args.length > 2 && args[2].equals("--verify") ? InstallOptions.VERIFY : InstallOptions.DEFAULTS;
        ArtifactResult artifacts = installer.apply(
                installer.plan(ArtifactSource.of(Path.of(args[0])), spec, hostRoot, options), ProgressListener.NONE);
        HostRoot host = HostRoot.of(hostRoot);
        RuntimeInfo runtime = RuntimeInfo.parse("containerd://1.7.27");
        ContainerdConfigurator containerd = new ContainerdConfigurator();
        ApplyResult config = PlanApplier.builder(host).build().planAndApply(spec.instance(), h -> containerd.plan(
                new PlanContext(h, spec, runtime, InstallRecords.baselinesFor(h, spec.instance()), false)));
        System.out.println("artifactFilesWritten=" + artifacts.artifactFilesWritten() + " bytesWritten="
                + artifacts.bytesWritten() + " configsChanged=" + config.changedPaths());
    }
}
