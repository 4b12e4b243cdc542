package io.kdeploy.benchmarks;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.artifacts.ArtifactResult;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.InstallOptions;
import io.kdeploy.core.artifacts.KataArtifactInstaller;
import java.nio.file.Path;

/**
 * The artifact half of {@code kdeploy install} as one command, for {@code benchmarks/artifacts-bench.sh}:
 * {@code ArtifactInstall <source> <host-root> [--verify]} installs the {@code qemu} shim's tree and prints the result.
 */
public final class ArtifactInstall {
    private ArtifactInstall() {
    }

    /** Runs one install. */
    public static void main(String[] args) {
        KataArtifactInstaller installer = new KataArtifactInstaller();
        InstallOptions options = args.length > 2 && args[2].equals("--verify") ? InstallOptions.VERIFY : InstallOptions.DEFAULTS;
        ArtifactResult r = installer.apply(installer.plan(ArtifactSource.of(Path.of(args[0])), DeploySpec.of("qemu"),
                Path.of(args[1]), options));
        System.out.println("artifactFilesWritten=" + r.artifactFilesWritten() + " bytesWritten=" + r.bytesWritten());
    }
}
