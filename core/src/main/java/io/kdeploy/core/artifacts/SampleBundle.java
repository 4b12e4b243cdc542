package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny, realistic Kata tree (the content of {@code /opt/kata}) for demos, examples and tests: {@link BundleBuilder#standard()}
 * written to a directory. Placeholder Go and Rust shim binaries, QEMU, virtiofsd, a kernel and an image with Kata's
 * {@code vmlinux.container} and {@code kata-containers.img} links, and the base configurations of the {@code qemu} and
 * {@code qemu-runtime-rs} shims with real {@code [hypervisor.qemu]} tables; every entry has the same fixed modification
 * time, so two trees written from it are identical. Nothing here can start a VM.
 *
 * <pre>{@code
 * Path tree = SampleBundle.writeTo(tmp.resolve("kata"));
 * installer.plan(ArtifactSource.of(tree), DeploySpec.of("qemu", "qemu-runtime-rs"), hostRoot);
 * }</pre>
 */
public final class SampleBundle {
    /** The shims whose base configurations the tree ships. */
    public static final List<String> SHIMS = List.of("qemu", "qemu-runtime-rs");

    private SampleBundle() {}

    /**
     * Writes the tree into {@code dir} (created; existing entries of the tree are replaced) and returns {@code dir}.
     *
     * @throws KdeployException when the directory cannot be written
     */
    public static Path writeTo(Path dir) {
        requireNonNull(dir, "dir");
        try {
            return BundleBuilder.standard().writeTo(dir);
        } catch (UncheckedIOException e) {
            throw new KdeployException("cannot write the sample Kata tree into " + dir + ": " + e.getCause().getMessage(), e);
        }
    }
}
