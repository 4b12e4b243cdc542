package io.kdeploy.cri.containerd;

import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.ApplyResult;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.toml.TomlDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input fuzzing (DESIGN.md §7): 1,200 mutants of the corpus's host configs (every containerd golden case's
 * input files, and the TOML engine's corpus as a containerd 1.6 {@code config.toml}), each made by a seeded mutator that
 * deletes, duplicates or inserts TOML's structural characters ({@code [ ] " ' = , { } #} and line breaks) or truncates
 * the file. Installing on each must either succeed with TOML output that parses, or fail with {@link MalformedConfigException}
 * (exit 3) naming the file, a line and a column, with every host file unchanged and no install record. A mutant that
 * still parses but now means something kdeploy must refuse (a k3s config whose {@code imports} path lost a character, a
 * config that lost its {@code version} while the spec maps a snapshotter) may fail with {@link InvalidSpecException}
 * (exit 2), also without a write. Any other exception is a failure.
 */
class MalformedInputFuzzTest {
    private static final int MUTANTS = 1_200;
    private static final String STRUCTURE = "[]\"'=,{}#\n.";
    private static final String MAIN = ContainerdPaths.CONTAINERD_MAIN;

    /** One fuzz target: a node, the file of it to mutate, and the case whose spec and runtime install on it. */
    private record Target(String label, GoldenCase golden, RuntimeInfo runtime, Map<String, Bytes> files, String path) {}

    @Test
    void everyMutantInstallsCleanlyOrFailsWithExit3AndChangesNothing(@TempDir Path dir) {
        List<Target> targets = targets();
        SoftAssertions soft = new SoftAssertions();
        int installed = 0;
        int malformed = 0;
        int refused = 0;
        for (int seed = 0; seed < MUTANTS; seed++) {
            Target t = targets.get(seed % targets.size());
            Random random = new Random(seed);
            Map<String, Bytes> files = new TreeMap<>(t.files());
            files.put(t.path(), Bytes.of(mutate(t.files().get(t.path()).toArray(), random)));
            HostRoot host = HostTree.create(dir.resolve("m" + seed), files);
            String what = "seed " + seed + " (" + t.label() + ")";
            try {
                ApplyResult r = HostTree.install(PlanApplier.builder(host).build(), t.golden().spec(), t.runtime());
                installed++;
                for (String p : r.changedPaths().stream().filter(p -> p.endsWith(".toml")).toList()) {
                    host.read(p).ifPresent(b -> soft.assertThatCode(() -> TomlDocument.parse(p, b))
                            .as("%s: written %s parses", what, p).doesNotThrowAnyException());
                }
            } catch (MalformedConfigException e) {
                malformed++;
                soft.assertThat(e.exitCode()).as(what).isEqualTo(3);
                soft.assertThat(e.line()).as("%s: line of %s", what, e.getMessage()).isPositive();
                soft.assertThat(e.column()).as("%s: column of %s", what, e.getMessage()).isPositive();
                soft.assertThat(e.file()).as(what).startsWith("/");
                assertUntouched(soft, what, host, files, t);
            } catch (InvalidSpecException e) {
                refused++;
                soft.assertThat(e.exitCode()).as(what).isEqualTo(2);
                assertUntouched(soft, what, host, files, t);
            } catch (RuntimeException e) {
                soft.fail("%s: unexpected %s", what, e.toString());
            }
            delete(host.path());
        }
        soft.assertThat(installed).as("mutants that still install").isGreaterThan(MUTANTS / 10);
        soft.assertThat(malformed).as("mutants refused as malformed").isGreaterThan(MUTANTS / 4);
        soft.assertThat(installed + malformed + refused).isEqualTo(MUTANTS);
        soft.assertAll();
    }

    private static void assertUntouched(
            SoftAssertions soft, String what, HostRoot host, Map<String, Bytes> files, Target t) {
        soft.assertThat(HostTree.tree(host.path(), false)).as("%s: nothing written", what)
                .isEqualTo(HostTree.texts(files));
        soft.assertThat(InstallRecords.read(host, t.golden().spec().instance())).as(what).isEmpty();
    }

    /** One to three seeded mutations: delete, duplicate or insert a structural character, or truncate. */
    static byte[] mutate(byte[] input, Random random) {
        StringBuilder s = new StringBuilder(new String(input, StandardCharsets.UTF_8));
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, s.charAt(at));
                case 2, 3 -> s.insert(at, STRUCTURE.charAt(random.nextInt(STRUCTURE.length())));
                default -> s.setLength(at);
            }
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Target> targets() {
        List<Target> out = new ArrayList<>();
        for (String name : GoldenCase.names()) {
            GoldenCase c = GoldenCase.load(name);
            for (String path : c.input().keySet()) {
                if (path.endsWith(".toml")) {
                    out.add(new Target(name + ":" + path, c, c.runtime(), c.input(), path));
                }
            }
        }
        GoldenCase stock = GoldenCase.load("containerd-1.6-debian-stock");
        Path toml = GoldenCase.corpus().resolveSibling("toml");
        try (Stream<Path> s = Files.list(toml)) {
            for (Path input : s.map(d -> d.resolve("input.toml")).filter(Files::isRegularFile).sorted().toList()) {
                out.add(new Target("toml/" + input.getParent().getFileName(), stock, stock.runtime(),
                        Map.of(MAIN, Bytes.of(Files.readAllBytes(input))), MAIN));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
