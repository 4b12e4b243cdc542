package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.NodeLock;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.toml.TomlDocument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency (DESIGN.md §7) with real processes and the real {@code flock}: two child JVMs install different suffixes
 * into the same nodes at the same time (20 host roots, both children released together and racing through them); every
 * node ends with both sets of handlers, valid, exactly as one of the two sequential orders leaves it. A third run that
 * finds the lock held gives up after its timeout with exit 5 and a clear message, no stack trace.
 */
class ConcurrentInstallTest {
    private static final String CASE = "containerd-1.6-user-settings-debug";
    private static final int ROUNDS = 20;

    @Test
    void twoProcessesInstallingDifferentSuffixesLoseNothing(@TempDir Path dir) throws Exception {
        GoldenCase c = GoldenCase.load(CASE);
        List<String> roots = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            roots.add(HostTree.create(dir.resolve("node" + i), c.input()).path().toString());
        }
        Process a = ChildJvm.start(args("a", roots));
        Process b = ChildJvm.start(args("b", roots));
        awaitReady(a);
        awaitReady(b);
        go(a);
        go(b);
        assertExits(a, 0);
        assertExits(b, 0);

        Map<String, String> aThenB = sequential(dir.resolve("ab"), c, "a", "b");
        Map<String, String> bThenA = sequential(dir.resolve("ba"), c, "b", "a");
        for (String root : roots) {
            Map<String, String> tree = HostTree.tree(Path.of(root), false);
            String config = tree.get(ContainerdPaths.CONTAINERD_MAIN);
            assertThat(config).as(root).contains("runtimes.kata-qemu-a]", "runtimes.kata-qemu-b]");
            TomlDocument.parse(ContainerdPaths.CONTAINERD_MAIN, config);
            assertThat(List.of(aThenB, bThenA)).as("%s is one of the two sequential outcomes", root)
                    .anySatisfy(t -> assertThat(withoutRecords(tree)).isEqualTo(withoutRecords(t)));
            assertThat(tree).containsKeys("/var/lib/kdeploy/a.json", "/var/lib/kdeploy/b.json");
        }
    }

    @Test
    void aThirdRunWaitingOnTheLockTimesOutWithExit5(@TempDir Path dir) throws Exception {
        GoldenCase c = GoldenCase.load(CASE);
        HostRoot host = HostTree.create(dir.resolve("node"), c.input());
        NodeLock held = NodeLock.acquire(host, Duration.ofSeconds(1));
        try {
            Process p = ChildJvm.start(List.of(CASE, "c", "300", "-", host.path().toString()));
            assertExits(p, 5);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(err).startsWith("kdeploy: node lock ").contains("was not acquired within 300 ms",
                    "another kdeploy run on this node holds it").doesNotContain("\tat ", "Exception");
        } finally {
            held.close();
        }
        assertThat(HostTree.tree(host.path(), false)).isEqualTo(HostTree.texts(c.input()));
    }

    private static List<String> args(String suffix, List<String> roots) {
        List<String> out = new ArrayList<>(List.of(CASE, suffix, "30000", "-", "--wait-for-go"));
        out.addAll(roots);
        return out;
    }

    private static Map<String, String> sequential(Path root, GoldenCase c, String first, String second) {
        HostRoot host = HostTree.create(root, c.input());
        for (String suffix : List.of(first, second)) {
            DeploySpec spec = c.spec().withSuffix(suffix);
            HostTree.install(PlanApplier.builder(host).build(), spec, c.runtime());
        }
        return HostTree.tree(root, false);
    }

    /** The node files without the install records (their order of entries follows the order of the installs). */
    private static Map<String, String> withoutRecords(Map<String, String> tree) {
        Map<String, String> out = new TreeMap<>(tree);
        out.keySet().removeIf(k -> k.startsWith("/var/lib/kdeploy/"));
        return out;
    }

    private static void awaitReady(Process p) throws IOException {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("child ready").isEqualTo("ready");
    }

    private static void go(Process p) throws IOException {
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
    }

    private static void assertExits(Process p, int code) throws InterruptedException {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(p.exitValue()).as("exit code").isEqualTo(code);
    }
}
