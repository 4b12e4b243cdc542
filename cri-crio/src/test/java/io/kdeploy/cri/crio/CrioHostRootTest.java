package io.kdeploy.cri.crio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeRejectedConfigException;
import io.kdeploy.core.plan.ApplyResult;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.CommandRunner;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.NodeLock;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole life cycle on a temporary host root with core's applier and install records: install, re-install (0 bytes),
 * a second instance, cleanup of each, and a rejected config rolled back. The fake {@code /usr/bin/crio} logs its arguments
 * and exits with the code in {@code /etc/crio/fake-exit} (0 when absent).
 */
class CrioHostRootTest {
    private static final String FAKE_CRIO = "#!/bin/sh\nd=$(dirname \"$0\")/../..\necho \"$*\" >> \"$d/crio-calls\"\n"
            + "exit $(cat \"$d/etc/crio/fake-exit\" 2>/dev/null || echo 0)\n";

    @TempDir
    Path dir;

    private HostRoot root;
    private Map<String, Bytes> before;
    private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    private final CrioConfigurator crio = new CrioConfigurator();

    @BeforeEach
    void node() throws IOException {
        for (Map.Entry<String, Bytes> e : TestNode.host("fedora-crio-1.31").entrySet()) {
            Path p = dir.resolve(e.getKey().substring(1));
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue().toArray());
        }
        Path bin = dir.resolve("usr/bin/crio");
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, FAKE_CRIO);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = HostRoot.of(dir);
        before = files();
    }

    /** Runs the validation command with its binary resolved under the host root, as the CLI's runner does. */
    private PlanApplier applier() {
        CommandRunner processes = CommandRunner.processes();
        return PlanApplier.builder(root).commandRunner(argv -> {
            calls.add(argv);
            List<String> resolved = new ArrayList<>(argv);
            resolved.set(0, root.resolve(argv.get(0)).toString());
            return processes.run(resolved);
        }).build();
    }

    /** The host's files, without kdeploy's own state (records, lock) and the fake's call log. */
    private Map<String, Bytes> files() {
        Map<String, Bytes> out = new TreeMap<>(TestNode.tree(dir));
        out.keySet().removeIf(p -> p.startsWith(InstallRecords.DIRECTORY + "/") || p.equals(NodeLock.NODE_PATH)
                || p.equals("/crio-calls"));
        return out;
    }

    private ApplyResult install(DeploySpec spec) {
        ConfigPlan plan = crio.plan(new PlanContext(root, spec, TestNode.CRIO_1_31,
                InstallRecords.baselinesFor(root, spec.instance()), false));
        return applier().apply(plan, spec.instance());
    }

    private ApplyResult cleanup(DeploySpec spec) {
        ConfigPlan plan = crio.planRevert(new PlanContext(root, spec, TestNode.CRIO_1_31,
                InstallRecords.baselinesFor(root, spec.instance()), false));
        return applier().apply(plan, spec.instance());
    }

    @Test
    void installReinstallSecondInstanceAndCleanupLeaveTheHostAsItWas() {
        DeploySpec first = TestNode.spec("qemu", "qemu-runtime-rs").withDebug(true);
        DeploySpec second = TestNode.spec("qemu-snp").withSuffix("canary");

        ApplyResult a = install(first);
        assertThat(a.changedPaths()).containsExactly("/etc/crio/crio.conf.d/99-kata-deploy",
                "/etc/crio/crio.conf.d/100-kata-deploy-debug");
        assertThat(a.restartRequired()).isTrue();
        assertThat(calls).containsExactly(List.of("/usr/bin/crio", "--config-dir", "/etc/crio/crio.conf.d", "config"));
        assertThat(InstallRecords.read(root, "default")).isPresent();

        ApplyResult again = install(first);
        assertThat(again.unchanged()).isTrue();
        assertThat(again.restartRequired()).isFalse();
        assertThat(calls).hasSize(1);

        assertThat(install(second).changedPaths()).containsExactly("/etc/crio/crio.conf.d/99-kata-deploy-canary");
        assertThat(files()).containsKeys("/etc/crio/crio.conf.d/99-kata-deploy", "/etc/crio/crio.conf.d/99-kata-deploy-canary");

        assertThat(cleanup(first).changedPaths()).containsExactlyInAnyOrder("/etc/crio/crio.conf.d/99-kata-deploy",
                "/etc/crio/crio.conf.d/100-kata-deploy-debug");
        assertThat(InstallRecords.read(root, "default")).isEmpty();
        assertThat(files()).containsKey("/etc/crio/crio.conf.d/99-kata-deploy-canary");

        assertThat(cleanup(second).changedPaths()).containsExactly("/etc/crio/crio.conf.d/99-kata-deploy-canary");
        assertThat(TestNode.text(files())).isEqualTo(TestNode.text(before));
        assertThat(files()).isEqualTo(before);
        assertThat(cleanup(second).unchanged()).isTrue();
    }

    @Test
    void twoInstancesInstalledAtTheSameTimeAreBothRegistered() throws Exception {
        List<DeploySpec> specs = List.of(TestNode.spec("qemu", "clh"), TestNode.spec("qemu").withSuffix("canary"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ApplyResult>> runs = new ArrayList<>();
            for (DeploySpec spec : specs) {
                runs.add(pool.submit(() -> applier().planAndApply(spec.instance(), host -> crio.plan(
                        new PlanContext(host, spec, TestNode.CRIO_1_31, InstallRecords.baselinesFor(host, spec.instance()),
                                false)))));
            }
            for (Future<ApplyResult> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS).changedPaths()).hasSize(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(files().get("/etc/crio/crio.conf.d/99-kata-deploy").asUtf8()).contains("[crio.runtime.runtimes.kata-clh]");
        assertThat(files().get("/etc/crio/crio.conf.d/99-kata-deploy-canary").asUtf8())
                .contains("[crio.runtime.runtimes.kata-qemu-canary]");
        for (DeploySpec spec : specs) {
            assertThat(cleanup(spec).changedPaths()).hasSize(1);
        }
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void aConfigCrioRejectsIsRolledBack() throws IOException {
        Files.writeString(dir.resolve("etc/crio/fake-exit"), "1\n");
        Map<String, Bytes> start = files();
        assertThatThrownBy(() -> install(TestNode.spec("qemu")))
                .isInstanceOfSatisfying(RuntimeRejectedConfigException.class, e -> assertThat(e.exitCode()).isEqualTo(4))
                .hasMessageContaining("/usr/bin/crio --config-dir /etc/crio/crio.conf.d config");
        assertThat(files()).isEqualTo(start);
        assertThat(InstallRecords.read(root, "default")).isEmpty();
    }
}
