package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.artifacts.SampleBundle;
import io.kdeploy.core.plan.NodeLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md §7 through the real command in child JVMs (the in-process harness with 1,200 mutants, 64 crash points and
 * the racing installs lives in cri-containerd's tests): {@code kdeploy install} killed with SIGKILL at a random moment
 * converges on the next run and {@code kdeploy cleanup} then gives back the input; malformed configs end in exit 3 with
 * one paragraph naming file, line and column on stderr, no stack trace, nothing changed.
 */
class WholeCommandReliabilityTest {
    private static final Path CORPUS = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"));
    private static final String CONFIG = "etc/containerd/config.toml";
    private static final int KILLS = 4;
    private static final int MUTANTS = 8;

    @TempDir
    Path work;

    @Test
    void installKilledAtARandomMomentConvergesAndCleanupRestoresTheInput() throws Exception {
        Path bundle = SampleBundle.writeTo(work.resolve("kata"));
        Map<String, String> input = tree(node("clean"));
        assertThat(inProcess("install", work.resolve("clean"), "--artifacts", bundle.toString())).isZero();
        Map<String, String> reference = normalised(tree(work.resolve("clean")));

        long t0 = System.nanoTime();
        Process timing = child("install", node("timing"), "--artifacts", bundle.toString());
        assertThat(timing.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(timing.exitValue()).as(new String(timing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        long fullRunMillis = (System.nanoTime() - t0) / 1_000_000;

        int killedMidway = 0;
        for (int seed = 0; seed < KILLS; seed++) {
            Path host = node("killed" + seed);
            // after the first quarter of the run: the JVM has started and kdeploy is planning or installing
            long delay = fullRunMillis / 4 + new Random(seed).nextLong(fullRunMillis * 3 / 4);
            Process p = child("install", host, "--artifacts", bundle.toString());
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                killedMidway++;
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(inProcess("install", host, "--artifacts", bundle.toString())).as("seed %d", seed).isZero();
            assertThat(normalised(tree(host))).as("seed %d: killed after %d of %d ms, installed again", seed, delay,
                    fullRunMillis).isEqualTo(reference);
            assertThat(inProcess("cleanup", host)).isZero();
            assertThat(files(tree(host))).as("seed %d: cleanup", seed).isEqualTo(files(input));
        }
        assertThat(killedMidway).as("runs killed before they finished").isPositive();
    }

    @Test
    void malformedConfigsExitWith3AndOneParagraphAndChangeNothing() throws Exception {
        String original = Files.readString(CORPUS.resolve(
                "containerd/containerd-1.6-user-settings-debug/input/etc/containerd/config.toml"));
        int malformed = 0;
        for (int seed = 0; seed < MUTANTS; seed++) {
            Path host = node("m" + seed);
            String mutant = seed % 2 == 0 ? original.replaceFirst("\\]\\n", "\n")
                    : original.substring(0, original.indexOf('=', original.length() / (seed + 1)) + 1) + "\n";
            mutant = mutant + "#" + seed + "\n";
            Files.writeString(host.resolve(CONFIG), mutant);
            Process p = child("install", host);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("seed %d: %s", seed, err).isIn(0, 3);
            if (p.exitValue() == 3) {
                malformed++;
                assertThat(err).as("seed %d", seed).contains("/etc/containerd/config.toml", "line")
                        .doesNotContain("\tat ", "Exception");
                assertThat(err.strip().lines().count()).as("one paragraph: %s", err).isLessThanOrEqualTo(2);
                assertThat(Files.readString(host.resolve(CONFIG))).isEqualTo(mutant);
                assertThat(files(tree(host))).containsOnlyKeys("/" + CONFIG);
            }
        }
        assertThat(malformed).isGreaterThanOrEqualTo(MUTANTS / 2);
    }

    /** A host root holding the corpus's containerd 1.6 config with the user's settings. */
    private Path node(String name) throws IOException {
        Path host = work.resolve(name);
        Path config = host.resolve(CONFIG);
        Files.createDirectories(config.getParent());
        Files.copy(CORPUS.resolve("containerd/containerd-1.6-user-settings-debug/input").resolve(CONFIG), config);
        return host;
    }

    private static List<String> args(String command, Path host, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--offline", "--no-restart", "--host-root", host.toString(),
                "--runtime-version", "containerd://1.7.22", "--shims", "qemu"));
        args.addAll(List.of(more));
        return args;
    }

    private static int inProcess(String command, Path host, String... more) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                args(command, host, more).toArray(String[]::new));
        assertThat(code).as(err.toString()).isIn(0, 3);
        return code;
    }

    private static Process child(String command, Path host, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(command, host, more));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Files, links and directories under a host root (not the lock file), as text or size. */
    private static Map<String, String> tree(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String node = "/" + root.relativize(p);
                if (p.equals(root) || node.equals(NodeLock.NODE_PATH)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    out.put(node, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(node + "/", "");
                } else {
                    out.put(node, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Map<String, String> files(Map<String, String> tree) {
        Map<String, String> out = new TreeMap<>(tree);
        out.keySet().removeIf(k -> k.endsWith("/"));
        return out;
    }

    /** The manifest records each file's mtime, which differs between two hosts. */
    private static Map<String, String> normalised(Map<String, String> tree) {
        Map<String, String> out = new TreeMap<>(tree);
        out.replaceAll((k, v) -> k.endsWith("/.kdeploy-manifest.json")
                ? v.replaceAll("\"mtime\" *: *\"[^\"]*\"", "\"mtime\":\"-\"") : v);
        return out;
    }
}
