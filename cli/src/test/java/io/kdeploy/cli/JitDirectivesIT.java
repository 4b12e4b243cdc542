package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.artifacts.BundleBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent image's JVM options, read from the ENTRYPOINT of src/deploy/Dockerfile with src/deploy/jit-directives.json:
 * the JVM accepts them, stdout stays the command's own (the JVM's "compiler directives added" goes to stderr), and a fresh
 * install compiles the SHA-256 digest with C2 and nothing else.
 */
class JitDirectivesIT {
    private static final Path DEPLOY = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus")).resolveSibling("deploy");
    /** One line of {@code -XX:+PrintCompilation}: time, id, attributes, tier, method. */
    private static final Pattern COMPILATION = Pattern.compile("^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*\\s([0-4])\\s+(\\S+)");

    @TempDir
    Path work;

    @Test
    void stdoutKeepsOnlyTheCommandsOutput() throws IOException, InterruptedException {
        Result version = java(List.of(), "--version");

        assertThat(version.exit).as(version.err).isZero();
        assertThat(version.out).matches("kdeploy [^\\n]+\\n");
        assertThat(version.err).contains("compiler directives added");
    }

    @Test
    void aFreshInstallCompilesTheDigestAndNothingElseWithC2() throws IOException, InterruptedException {
        byte[] image = new byte[48 << 20];
        new Random(7).nextBytes(image);
        Path artifacts = BundleBuilder.standard().file("share/kata-containers/kata-ubuntu-noble.image", image, 0644,
                BundleBuilder.MTIME).writeTo(work.resolve("kata"));
        Path host = work.resolve("host");
        Files.createDirectories(host.resolve("etc/containerd"));
        Files.writeString(host.resolve("etc/containerd/config.toml"), "version = 2\n");

        Result install = java(List.of("-XX:+PrintCompilation"), "install", "--offline", "--no-restart", "--host-root",
                host.toString(), "--runtime-version", "containerd://1.7.22", "--shims", "qemu", "--artifacts",
                artifacts.toString());

        assertThat(install.exit).as(install.err).isZero();
        List<String> c2 = new ArrayList<>();
        for (String line : install.err.split("\n")) {
            Matcher m = COMPILATION.matcher(line);
            if (m.find() && m.group(1).equals("4") && !line.contains("made not entrant")) {
                c2.add(m.group(2));
            }
        }
        assertThat(c2).isNotEmpty().allMatch(method -> method.startsWith("sun.security.provider."));
        assertThat(c2).anyMatch(method -> method.contains("implCompress"));
    }

    @Test
    void theDockerfileRunsTheAgentWithTheDirectivesItShips() throws IOException {
        List<String> flags = entrypointFlags();

        assertThat(flags).contains("-XX:+UnlockDiagnosticVMOptions", "-XX:+DisplayVMOutputToStderr",
                "-XX:CompilerDirectivesFile=/usr/share/kdeploy/jit-directives.json").doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(Files.readString(DEPLOY.resolve("Dockerfile"), StandardCharsets.UTF_8))
                .contains("COPY src/deploy/jit-directives.json /usr/share/kdeploy/jit-directives.json");
    }

    /**
     * The JVM options of the Dockerfile's ENTRYPOINT (between {@code java} and {@code -jar}), with the directives from this
     * checkout and without the class-data sharing archive the image builds.
     */
    private static List<String> entrypointFlags() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"), StandardCharsets.UTF_8).replace("\\\n", " ");
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)\\]\\s*$").matcher(dockerfile);
        assertThat(entrypoint.find()).as("an ENTRYPOINT in exec form").isTrue();
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint.group(1));
        while (word.find()) {
            words.add(word.group(1));
        }
        assertThat(words).startsWith("java").contains("-jar");
        return words.subList(1, words.indexOf("-jar"));
    }

    /** The Dockerfile's ENTRYPOINT JVM options (see {@link #entrypointFlags}), with {@code extra}, running the shaded jar. */
    private Result java(List<String> extra, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String flag : entrypointFlags()) {
            if (flag.startsWith("-XX:CompilerDirectivesFile=")) {
                cmd.add("-XX:CompilerDirectivesFile=" + DEPLOY.resolve("jit-directives.json").toAbsolutePath());
            } else if (!flag.startsWith("-XX:SharedArchiveFile=")) {
                cmd.add(flag);
            }
        }
        cmd.addAll(extra);
        cmd.add("-jar");
        cmd.add(shadedJar().toString());
        cmd.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Result(exit, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path shadedJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-all.jar")).map(Path::toAbsolutePath).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shaded jar in target/; run mvn verify"));
        }
    }

    private record Result(int exit, String out, String err) {}
}
