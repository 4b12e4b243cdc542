package io.kdeploy.core.artifacts;

import io.kdeploy.core.DeploySpec;
import java.nio.file.Path;

/** Installs a source into a host root; run in a child JVM with a small heap by {@link LargeInstallTest}. */
public final class LargeInstallMain {
    private LargeInstallMain() {
    }

    /** {@code <source> <host root>}: prints the number of files written, the bytes and the peak heap used. */
    public static void main(String[] args) {
        KataArtifactInstaller installer = new KataArtifactInstaller();
        ArtifactResult r = installer.apply(installer.plan(ArtifactSource.of(Path.of(args[0])), DeploySpec.of("qemu"),
                Path.of(args[1])));
        Runtime rt = Runtime.getRuntime();
        System.out.println("written=" + r.artifactFilesWritten() + " bytes=" + r.bytesWritten() + " maxHeap=" + rt.maxMemory());
    }
}
