package io.kdeploy.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.LockTimeoutException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.NodeLock;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NodeDeployment}'s own decisions with a small configurer: which runtime it picks (given, declared, detected, and
 * the contradictions that are exit 2), a SKIP that reads nothing, the node lock's timeout, and a restart without a
 * restarter. The full life cycle with the containerd configurer is tested in {@code cri-containerd}.
 */
class NodeDeploymentRuntimeTest {
    private static final String FILE = "/etc/fake/handlers.txt";
    private static final String RUNTIME_FILE = "/etc/fake/runtime";
    private static final DeploySpec SPEC = DeploySpec.of("qemu");

    @TempDir
    Path host;

    /** Writes one line per handler into {@link #FILE}; detects the runtime from {@link #RUNTIME_FILE}. */
    static final class LineConfigurer implements CriConfigurator {
        @Override
        public String id() {
            return "lines";
        }

        @Override
        public boolean supports(RuntimeInfo runtime) {
            return runtime.flavour().isContainerd();
        }

        @Override
        public Optional<RuntimeInfo> detect(NodeFiles files) {
            return files.read(RUNTIME_FILE).map(b -> RuntimeInfo.parse(b.asUtf8().strip()));
        }

        @Override
        public ConfigPlan plan(PlanContext ctx) {
            Bytes base = ctx.baseline(FILE);
            String text = (base == null ? "" : base.asUtf8()) + String.join("\n", ctx.spec().handlers()) + "\n";
            FileEdit e = new FileEdit(FILE, ctx.current(FILE), Bytes.utf8(text), base, 0644, List.of());
            return new ConfigPlan(List.of(e), e.isNoop() ? null : "fake.service", null, ctx.spec().handlers(), List.of());
        }

        @Override
        public ConfigPlan planRevert(PlanContext ctx) {
            return ConfigPlan.revert(ctx, "fake.service", null);
        }
    }

    private NodeDeployment.Builder builder() {
        return NodeDeployment.builder(host).registry(Kdeploy.builder().add(new LineConfigurer()).build());
    }

    private void write(String nodePath, String content) throws IOException {
        Path p = host.resolve(nodePath.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static InstallRequest request(RuntimeInfo runtime, String declared) {
        return new InstallRequest(SPEC, runtime, declared, null, true, false, false, false);
    }

    @Test
    void theRuntimeIsDetectedFromTheHostsFiles() throws IOException {
        write(RUNTIME_FILE, "containerd://1.7.3-k3s1\n");

        InstallReport r = builder().build().install(InstallRequest.of(SPEC).withDryRun(true));

        assertThat(r.runtime()).isEqualTo(new RuntimeInfo(Flavour.K3S, io.kdeploy.core.Version.parse("1.7.3")));
        assertThat(r.changedFiles()).containsExactly(FILE);
        assertThat(r.diff()).contains("+kata-qemu");
    }

    @Test
    void aDistributionTheHostShowsWinsOverAPlainVersionString() throws IOException {
        write(RUNTIME_FILE, "containerd://1.7.3-rke2r1\n");

        InstallReport r = builder().build().install(request(RuntimeInfo.parse("containerd://1.7.22"), null));

        assertThat(r.runtime().flavour()).isEqualTo(Flavour.RKE2);
        assertThat(r.runtime().version()).hasToString("1.7.22");
    }

    @Test
    void aDeclaredFlavourTakesTheGivenVersion() {
        InstallReport r = builder().build().install(request(RuntimeInfo.parse("containerd://1.7.22"), "k0s"));

        assertThat(r.runtime()).isEqualTo(new RuntimeInfo(Flavour.K0S, io.kdeploy.core.Version.parse("1.7.22")));
    }

    @Test
    void contradictionsAndAnUnknownRuntimeAreExit2() throws IOException {
        NodeDeployment node = builder().build();
        assertThatThrownBy(() -> node.install(request(RuntimeInfo.parse("cri-o://1.31.1"), "containerd")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("contradicts");
        assertThatThrownBy(() -> node.install(InstallRequest.of(SPEC)))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("Cannot tell which container runtime")
                .hasMessageContaining("--runtime-version")
                .satisfies(e -> assertThat(((KdeployException) e).exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> node.install(request(null, "containerd")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("--runtime-version");

        write(RUNTIME_FILE, "containerd://1.7.3-k3s1\n");
        assertThatThrownBy(() -> node.install(request(null, "rke2")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("this host runs k3s");
        assertThat(host.resolve("run")).doesNotExist();
    }

    @Test
    void skipReadsNothingNotEvenTheHostRoot() {
        NodeDeployment node = NodeDeployment.builder(host.resolve("does-not-exist"))
                .registry(Kdeploy.builder().build()).build();

        CleanupReport r = node.cleanup(CleanupRequest.of(SPEC, new CleanupDecision.Skip("pod restart")));

        assertThat(r.changedFiles()).isEmpty();
        assertThat(r.restarted()).isFalse();
        assertThat(r.diff()).isEmpty();
    }

    @Test
    void withoutARestarterANeededRestartIsAWarning() throws IOException {
        write(RUNTIME_FILE, "containerd://1.7.22\n");

        InstallReport r = builder().build().install(InstallRequest.of(SPEC));

        assertThat(r.restartRequired()).isTrue();
        assertThat(r.restarted()).isFalse();
        assertThat(r.warnings()).anyMatch(w -> w.contains("fake.service") && w.contains("no unit restarter"));
        assertThat(Files.readString(host.resolve(FILE.substring(1)))).isEqualTo("kata-qemu\n");
    }

    @Test
    void anInstanceOnlyCleanupDoesNotRestartButAFullOneDoes() throws IOException {
        write(RUNTIME_FILE, "containerd://1.7.22\n");
        List<String> restarts = new ArrayList<>();
        NodeDeployment node = builder().restarter(restarts::add).build();

        node.install(InstallRequest.of(SPEC));
        CleanupReport instanceOnly = node.cleanup(CleanupRequest.of(SPEC, new CleanupDecision.InstanceOnly("other")));
        node.install(InstallRequest.of(SPEC));
        CleanupReport full = node.cleanup(CleanupRequest.of(SPEC, new CleanupDecision.Full("uninstall")));

        assertThat(instanceOnly.restartRequired()).isTrue();
        assertThat(instanceOnly.restarted()).isFalse();
        assertThat(full.restarted()).isTrue();
        assertThat(restarts).containsExactly("fake.service", "fake.service", "fake.service");
        assertThat(host.resolve(FILE.substring(1))).doesNotExist();
    }

    @Test
    void anotherRunHoldingTheNodeLockIsExit5() throws Exception {
        write(RUNTIME_FILE, "containerd://1.7.22\n");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            NodeLock lock = NodeLock.acquire(HostRoot.of(host), Duration.ofSeconds(5));
            try {
                held.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.close();
            }
        });
        other.start();
        try {
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
            NodeDeployment node = builder().lockTimeout(Duration.ofMillis(200)).build();

            assertThatThrownBy(() -> node.install(InstallRequest.of(SPEC)))
                    .isInstanceOf(LockTimeoutException.class)
                    .satisfies(e -> assertThat(((KdeployException) e).exitCode()).isEqualTo(5));
            assertThat(host.resolve(FILE.substring(1))).doesNotExist();
        } finally {
            release.countDown();
            other.join();
        }
    }
}
