package io.kdeploy.cri.containerd;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The containerd binary of the machine running the tests (Debian's 1.6 in CI), and {@code config dump} with it. */
final class ContainerdBinary {
    private ContainerdBinary() {}

    /** The result of running containerd once. */
    record Run(int exit, String stdout, String stderr) {}

    /** {@code /usr/bin/containerd} or {@code /usr/local/bin/containerd}, whichever is there. */
    static Optional<Path> find() {
        return ContainerdPaths.CONTAINERD_BINARIES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    /** The binary, or the test is skipped with the reason. */
    static Path require() {
        Optional<Path> bin = find();
        assumeTrue(bin.isPresent(), "containerd is not installed at " + ContainerdPaths.CONTAINERD_BINARIES
                + "; install Debian's containerd package (CI does) to run the real-containerd tests");
        return bin.orElseThrow();
    }

    /** Skips the test unless it runs as root (starting a containerd daemon needs it; CI runs as root). */
    static void requireRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "starting a containerd daemon needs root (CI runs as root); running as " + System.getProperty("user.name"));
    }

    /** {@code containerd --config <config> config dump}. */
    static Run configDump(Path config) {
        return run(List.of(require().toString(), "--config", config.toString(), "config", "dump"));
    }

    /** {@code containerd --version}. */
    static String version() {
        return run(List.of(require().toString(), "--version")).stdout().trim();
    }

    private static Run run(List<String> argv) {
        try {
            Path out = Files.createTempFile("containerd", ".out");
            Path err = Files.createTempFile("containerd", ".err");
            try {
                Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + argv);
                }
                return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
