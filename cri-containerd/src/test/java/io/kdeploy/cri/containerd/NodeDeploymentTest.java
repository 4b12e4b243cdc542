package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.MalformedConfigException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.NodeLock;
import io.kdeploy.core.LockTimeoutException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.RuntimeRejectedConfigException;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.SampleBundle;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.CleanupRequest;
import io.kdeploy.core.deploy.InstallReport;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import io.kdeploy.core.plan.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NodeDeployment} with the real containerd configurer and artifact installer on temporary host roots: the DESIGN.md
 * §7 guarantees (idempotent re-install, exact cleanup, foreign edits kept, malformed input changes nothing), the cleanup
 * decisions and the in-use guard, dry runs and k0s.
 */
class NodeDeploymentTest {
    private static final String CONFIG = "/etc/containerd/config.toml";
    private static final RuntimeInfo CONTAINERD_17 = RuntimeInfo.parse("containerd://1.7.22");
    private static final DeploySpec SPEC = DeploySpec.of("qemu", "qemu-runtime-rs");

    @TempDir
    Path host;

    @TempDir
    Path work;

    private final List<String> restarts = new ArrayList<>();
    private ArtifactSource artifacts;
    private String original;

    @BeforeEach
    void setUp() throws IOException {
        original = Files.readString(corpus("containerd-1.6-user-settings-debug/input/etc/containerd/config.toml"));
        write(CONFIG, original);
        artifacts = ArtifactSource.of(SampleBundle.writeTo(work.resolve("kata")));
    }

    private NodeDeployment node() {
        return NodeDeployment.builder(host)
                .registry(Kdeploy.builder().add(new ContainerdConfigurator()).build())
                .restarter(restarts::add)
                .build();
    }

    private InstallRequest install() {
        return InstallRequest.of(SPEC).withRuntime(CONTAINERD_17).withArtifacts(artifacts);
    }

    private static CleanupRequest cleanup(CleanupDecision decision) {
        return CleanupRequest.of(SPEC, decision).withRuntime(CONTAINERD_17);
    }

    @Test
    void freshInstallRegistersTheHandlersInstallsTheArtifactsAndRestarts() throws IOException {
        InstallReport r = node().install(install());

        assertThat(r.changedFiles()).contains(CONFIG,
                "/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml",
                "/opt/kata/share/defaults/kata-containers/runtime-rs/runtimes/qemu-runtime-rs/configuration-qemu-runtime-rs.toml");
        assertThat(r.changedFiles()).allMatch(p -> p.startsWith("/") && !p.startsWith(host.toString()));
        assertThat(r.artifactFilesWritten()).isGreaterThan(10);
        assertThat(r.restartRequired()).isTrue();
        assertThat(r.restarted()).isTrue();
        assertThat(restarts).containsExactly("containerd");
        assertThat(r.handlers()).containsExactly("kata-qemu", "kata-qemu-runtime-rs");
        assertThat(r.runtime()).isEqualTo(CONTAINERD_17);
        assertThat(r.diff()).contains("+++ b/etc/containerd/config.toml", "runtimes.kata-qemu]");
        String config = read(CONFIG);
        assertThat(config).contains("runtime_path = \"/opt/kata/bin/containerd-shim-kata-v2\"",
                "# internal mirror of the pause image");
        assertThat(host.resolve("opt/kata/bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(host.resolve("var/lib/kdeploy/default.json")).isRegularFile();
    }

    /** What a SIGTERM at the n-th checkpoint throws. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A checkpoint that lets {@code passes} calls through and then stops the install. */
    private static Runnable stopAfter(int passes, List<Integer> calls) {
        return () -> {
            calls.add(calls.size() + 1);
            if (calls.size() > passes) {
                throw new Stopped();
            }
        };
    }

    @Test
    void aStopRequestedAfterTheArtifactsLeavesTheConfigUntouchedAndCleanupRestoresTheHost() throws IOException {
        Map<String, String> before = snapshot(false);
        List<Integer> calls = new ArrayList<>();

        assertThatThrownBy(() -> node().install(install(), stopAfter(1, calls))).isInstanceOf(Stopped.class);

        assertThat(calls).as("checkpoints: lock held, artifacts installed").containsExactly(1, 2);
        assertThat(host.resolve("opt/kata/bin/containerd-shim-kata-v2")).as("the artifacts are in").isRegularFile();
        assertThat(read(CONFIG)).as("no half-applied config").isEqualTo(original);
        assertThat(host.resolve("var/lib/kdeploy/default.json")).as("no install record").doesNotExist();
        assertThat(restarts).isEmpty();

        CleanupReport r = NodeDeployment.builder(host).registry(Kdeploy.builder().add(new ContainerdConfigurator()).build())
                .restarter(restarts::add).lockTimeout(java.time.Duration.ZERO).build()
                .cleanup(cleanup(new CleanupDecision.Full("stopped install")));

        assertThat(r.artifactFilesRemoved()).isGreaterThan(10);
        assertThat(restarts).isEmpty();
        assertThat(withoutLockFile(snapshot(false))).isEqualTo(before);
    }

    @Test
    void aStopRequestedAfterTheConfigSkipsTheRestartAndCleanupRestoresTheHost() throws IOException {
        Map<String, String> before = snapshot(false);
        List<Integer> calls = new ArrayList<>();

        assertThatThrownBy(() -> node().install(install(), stopAfter(2, calls))).isInstanceOf(Stopped.class);

        assertThat(calls).containsExactly(1, 2, 3);
        assertThat(read(CONFIG)).contains("runtimes.kata-qemu]");
        assertThat(restarts).as("stopped before the restart").isEmpty();

        node().cleanup(cleanup(new CleanupDecision.Full("stopped install")));

        assertThat(withoutLockFile(snapshot(false))).isEqualTo(before);
    }

    @Test
    void everyCheckpointPassedIsAWholeInstall() {
        List<Integer> calls = new ArrayList<>();

        InstallReport r = node().install(install(), stopAfter(3, calls));

        assertThat(calls).containsExactly(1, 2, 3);
        assertThat(r.restarted()).isTrue();
    }

    @Test
    void cleanupWithoutARuntimeOrAnythingInstalledHasNothingToDo() throws IOException {
        Files.delete(host.resolve(CONFIG.substring(1)));
        Map<String, String> before = snapshot(true);

        CleanupReport r = node().cleanup(CleanupRequest.of(SPEC, new CleanupDecision.Full("uninstall")));

        assertThat(r.decision().name()).isEqualTo("SKIP");
        assertThat(r.decision().reason()).startsWith("Nothing to clean up").contains("/opt/kata");
        assertThat(r.changedFiles()).isEmpty();
        assertThat(snapshot(true)).isEqualTo(before);

        node().install(install());
        Files.delete(host.resolve(CONFIG.substring(1)));
        assertThatThrownBy(() -> node().cleanup(CleanupRequest.of(SPEC, new CleanupDecision.Full("uninstall"))))
                .as("an install is there: not knowing the runtime is an error").isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void reinstallWithTheSameInputsWritesNothingAndRestartsNothing() {
        node().install(install());
        Map<String, String> before = snapshot(true);

        InstallReport again = node().install(install());

        assertThat(again.changedFiles()).isEmpty();
        assertThat(again.artifactFilesWritten()).isZero();
        assertThat(again.restartRequired()).isFalse();
        assertThat(again.restarted()).isFalse();
        assertThat(again.diff()).isEmpty();
        assertThat(restarts).containsExactly("containerd");
        assertThat(snapshot(true)).isEqualTo(before);
    }

    @Test
    void installThenFullCleanupLeavesEveryHostFileByteIdentical() {
        Map<String, String> before = snapshot(false);

        node().install(install());
        CleanupReport r = node().cleanup(cleanup(new CleanupDecision.Full("uninstall")));

        assertThat(r.changedFiles()).contains(CONFIG,
                "/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml");
        assertThat(r.artifactFilesRemoved()).isGreaterThan(10);
        assertThat(r.restartRequired()).isTrue();
        assertThat(r.restarted()).isTrue();
        assertThat(restarts).containsExactly("containerd", "containerd");
        assertThat(withoutLockFile(snapshot(false))).isEqualTo(before);
        assertThat(host.resolve("opt/kata")).doesNotExist();
    }

    @Test
    void aForeignEditBetweenInstallAndCleanupSurvives() {
        node().install(install());
        write(CONFIG, read(CONFIG).replace("max_container_log_line_size = 16384", "max_container_log_line_size = 32768"));

        node().cleanup(cleanup(new CleanupDecision.Full("uninstall")));

        assertThat(read(CONFIG)).isEqualTo(
                original.replace("max_container_log_line_size = 16384", "max_container_log_line_size = 32768"));
    }

    @Test
    void skipTouchesNothingAtAll() {
        node().install(install());
        Map<String, String> before = snapshot(true);

        CleanupReport r = node().cleanup(cleanup(new CleanupDecision.Skip("pod restart")));

        assertThat(r).isEqualTo(CleanupReport.nothing(new CleanupDecision.Skip("pod restart")));
        assertThat(snapshot(true)).isEqualTo(before);
        assertThat(restarts).containsExactly("containerd");
    }

    @Test
    void instanceOnlyRemovesThisInstallWithoutARestart() {
        Map<String, String> before = snapshot(false);
        node().install(install());

        CleanupReport r = node().cleanup(cleanup(new CleanupDecision.InstanceOnly("another install holds the node")));

        assertThat(r.restartRequired()).isTrue();
        assertThat(r.restarted()).isFalse();
        assertThat(restarts).containsExactly("containerd");
        assertThat(withoutLockFile(snapshot(false))).isEqualTo(before);
    }

    @Test
    void noRestartIsHonouredAndReported() {
        InstallReport r = node().install(install().withNoRestart(true));

        assertThat(r.restartRequired()).isTrue();
        assertThat(r.restarted()).isFalse();
        assertThat(restarts).isEmpty();
        assertThat(r.warnings()).anyMatch(w -> w.contains("containerd") && w.contains("not restarted"));
    }

    @Test
    void inUseGuardKeepsTheArtifactsUntilALaterCleanup() {
        Map<String, String> before = snapshot(false);
        node().install(install());

        CleanupReport first = node().cleanup(cleanup(new CleanupDecision.Full("uninstall"))
                .withHandlersInUse(Set.of("kata-qemu", "kata-clh-other")));

        assertThat(read(CONFIG)).isEqualTo(original);
        assertThat(first.changedFiles()).containsExactly(CONFIG);
        assertThat(first.artifactFilesRemoved()).isZero();
        assertThat(first.keptForInUse()).containsExactly("/opt/kata/bin/containerd-shim-kata-v2",
                "/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml");
        assertThat(first.restarted()).isTrue();
        assertThat(host.resolve("opt/kata/bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(host.resolve("opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml"))
                .isRegularFile();
        assertThat(node().pendingArtifactRemoval(SPEC)).contains(List.of("kata-qemu"));

        CleanupReport second = node().cleanup(cleanup(new CleanupDecision.Full("uninstall")));

        assertThat(second.artifactFilesRemoved()).isGreaterThan(10);
        assertThat(second.changedFiles()).doesNotContain(CONFIG);
        assertThat(second.restarted()).isFalse();
        assertThat(node().pendingArtifactRemoval(SPEC)).isEmpty();
        assertThat(withoutLockFile(snapshot(false))).isEqualTo(before);
    }

    @Test
    void anInstallClearsAPendingArtifactRemoval() {
        node().install(install());
        node().cleanup(cleanup(new CleanupDecision.Full("uninstall")).withHandlersInUse(Set.of("kata-qemu")));

        node().install(install());

        assertThat(node().pendingArtifactRemoval(SPEC)).isEmpty();
        assertThat(read(CONFIG)).contains("kata-qemu");
    }

    @Test
    void dryRunTouchesNothingNotEvenTheLockFile() {
        Map<String, String> before = snapshot(true);

        InstallReport r = node().install(install().withDryRun(true));

        assertThat(snapshot(true)).isEqualTo(before);
        assertThat(host.resolve("run")).doesNotExist();
        assertThat(host.resolve("var/lib/kdeploy")).doesNotExist();
        assertThat(r.changedFiles()).contains(CONFIG);
        assertThat(r.artifactFilesWritten()).isGreaterThan(10);
        assertThat(r.restartRequired()).isTrue();
        assertThat(r.restarted()).isFalse();
        assertThat(r.diff()).contains("+++ b/etc/containerd/config.toml", "Only in b/opt/kata/bin: containerd-shim-kata-v2",
                "+++ b/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml");
        assertThat(restarts).isEmpty();
    }

    @Test
    void cleanupDryRunTouchesNothing() {
        node().install(install());
        Map<String, String> before = snapshot(true);

        CleanupReport r = node().cleanup(cleanup(new CleanupDecision.Full("uninstall")).withDryRun(true));

        assertThat(snapshot(true)).isEqualTo(before);
        assertThat(r.changedFiles()).contains(CONFIG);
        assertThat(r.diff()).contains("--- a/etc/containerd/config.toml", "Only in a/opt: kata");
        assertThat(r.restarted()).isFalse();
    }

    @Test
    void aMalformedConfigStopsWithExit3AndChangesNothing() {
        write(CONFIG, original.replace("[grpc]", "[grpc"));
        Map<String, String> before = snapshot(true);

        assertThatThrownBy(() -> node().install(install()))
                .isInstanceOf(MalformedConfigException.class)
                .satisfies(e -> assertThat(((KdeployException) e).exitCode()).isEqualTo(3))
                .hasMessageContaining(CONFIG);

        assertThat(snapshot(true)).isEqualTo(before);
        assertThat(restarts).isEmpty();
    }

    @Test
    void anErrorOfTheConfigPlanComesBeforeBadArtifactsOrAHeldLock() throws IOException, InterruptedException {
        // A broken install record fails the configuration plan (it gives the baselines) but not the runtime detection, so
        // the error arises in the plan that runs in the background while the lock is taken and the artifacts planned.
        write("/var/lib/kdeploy/default.json", "{ broken");
        Path notAnArchive = Files.writeString(work.resolve("kata.tar.gz"), "not gzip");
        NodeDeployment impatient = NodeDeployment.builder(host)
                .registry(Kdeploy.builder().add(new ContainerdConfigurator()).build())
                .restarter(restarts::add).lockTimeout(Duration.ofMillis(100)).build();

        assertThatThrownBy(() -> node().install(install().withArtifacts(ArtifactSource.of(notAnArchive))))
                .isInstanceOf(KdeployException.class).hasMessageContaining("install record /var/lib/kdeploy/default.json");
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            NodeLock lock = NodeLock.acquire(HostRoot.of(host), Duration.ofSeconds(5));
            try {
                taken.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.close();
            }
        });
        holder.start();
        try {
            assertThat(taken.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> impatient.install(install()))
                    .isInstanceOf(KdeployException.class).hasMessageContaining("install record");
            Files.delete(host.resolve("var/lib/kdeploy/default.json"));
            assertThatThrownBy(() -> impatient.install(install()))
                    .as("with nothing wrong in the plan the held lock is the error").isInstanceOf(LockTimeoutException.class);
        } finally {
            release.countDown();
            holder.join();
        }
        assertThatThrownBy(() -> node().install(install().withArtifacts(ArtifactSource.of(notAnArchive))))
                .isInstanceOf(KdeployException.class).hasMessageNotContaining("install record");
        assertThat(Files.readString(host.resolve(CONFIG.substring(1)))).isEqualTo(original);
        assertThat(restarts).isEmpty();
    }

    @Test
    void aConfigTheRuntimeRejectsIsRolledBackWithExit4() {
        write("/usr/bin/containerd", "#!/bin/sh\n");
        Map<String, String> before = snapshot(false);
        List<List<String>> ran = new ArrayList<>();
        NodeDeployment node = NodeDeployment.builder(host)
                .registry(Kdeploy.builder().add(new ContainerdConfigurator()).build())
                .restarter(restarts::add)
                .commandRunner(argv -> {
                    ran.add(argv);
                    return new CommandRunner.Result(1, "invalid plugin config");
                })
                .build();

        assertThatThrownBy(() -> node.install(install()))
                .isInstanceOf(RuntimeRejectedConfigException.class)
                .satisfies(e -> assertThat(((KdeployException) e).exitCode()).isEqualTo(4));

        assertThat(ran).containsExactly(List.of("/usr/bin/containerd", "--config", CONFIG, "config", "dump"));
        assertThat(read(CONFIG)).isEqualTo(original);
        assertThat(host.resolve("var/lib/kdeploy/default.json")).doesNotExist();
        assertThat(restarts).isEmpty();
        assertThat(snapshot(false).get(CONFIG)).isEqualTo(before.get(CONFIG));
    }

    @Test
    void k0sIsNeverRestarted() throws IOException {
        Path input = corpus("k0s-worker/input");
        try (Stream<Path> s = Files.walk(input)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                write("/" + input.relativize(p), Files.readString(p));
            }
        }

        InstallReport r = node().install(InstallRequest.of(DeploySpec.of("qemu")).withArtifacts(artifacts));

        assertThat(r.runtime().flavour()).isEqualTo(Flavour.K0S);
        assertThat(r.changedFiles()).contains("/etc/k0s/containerd.d/kata-deploy.toml");
        assertThat(r.restartRequired()).isFalse();
        assertThat(r.restarted()).isFalse();
        assertThat(restarts).isEmpty();
    }

    @Test
    void runtimeDetectionFindsPlainContainerdFromTheConfigAndADeclaredDistributionTheHostContradictsFails() {
        InstallReport r = node().install(InstallRequest.of(SPEC).withArtifacts(artifacts).withDryRun(true));
        assertThat(r.runtime().flavour()).isEqualTo(Flavour.CONTAINERD);

        write("/etc/systemd/system/k3s.service", "[Service]\nExecStart=/usr/local/bin/k3s server\n");
        InstallRequest declared = new InstallRequest(SPEC, CONTAINERD_17, "containerd", artifacts, true, false, false, false);
        assertThatThrownBy(() -> node().install(declared))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("k3s");
    }

    // ---------------------------------------------------------------------------------------------------------------------

    @Test
    void nydusUnitIsStartedAfterInstallAndStoppedBeforeCleanupKeepingItsData() throws IOException {
        List<String> calls = new ArrayList<>();
        io.kdeploy.core.spi.HostUnits units = new io.kdeploy.core.spi.HostUnits() {
            @Override
            public void daemonReload() {
                calls.add("daemon-reload");
            }

            @Override
            public void enableAndRestart(String unit) {
                calls.add("enable+restart " + unit);
            }

            @Override
            public void disableNow(String unit) {
                calls.add("disable --now " + unit);
            }
        };
        NodeDeployment node = NodeDeployment.builder(host)
                .registry(Kdeploy.builder().add(new ContainerdConfigurator()).build())
                .restarter(u -> calls.add("restart " + u))
                .units(units)
                .build();
        write("/var/lib/nydus-for-kata-tee-n/meta.db", "snapshots");
        DeploySpec spec = new DeploySpec(List.of("qemu"), "qemu", "n", "", false, java.util.Map.of("qemu", "nydus"),
                java.util.Map.of(), java.util.Set.of(), io.kdeploy.core.PerShim.NONE, io.kdeploy.core.PerShim.NONE,
                io.kdeploy.core.PerShim.NONE, "kata-deploy-n", "", io.kdeploy.core.KataExtras.NONE.withSnapshotters(
                        java.util.Set.of("nydus"), io.kdeploy.core.KataExtras.Erofs.DEFAULT));

        node.install(InstallRequest.of(spec).withRuntime(CONTAINERD_17).withArtifacts(artifacts));

        assertThat(calls).containsExactly("daemon-reload", "enable+restart nydus-for-kata-tee-n", "restart containerd");
        assertThat(host.resolve("etc/systemd/system/nydus-for-kata-tee-n.service")).isRegularFile();
        calls.clear();
        node.install(InstallRequest.of(spec).withRuntime(CONTAINERD_17).withArtifacts(artifacts));
        assertThat(calls).as("a re-install touches no unit").isEmpty();

        node.cleanup(CleanupRequest.of(spec, new CleanupDecision.Full("test")).withRuntime(CONTAINERD_17));

        assertThat(calls).containsExactly("disable --now nydus-for-kata-tee-n", "daemon-reload", "restart containerd");
        assertThat(host.resolve("etc/systemd/system/nydus-for-kata-tee-n.service")).doesNotExist();
        assertThat(host.resolve("var/lib/nydus-for-kata-tee-n/meta.db")).hasContent("snapshots");
        assertThat(Files.readString(host.resolve(CONFIG.substring(1)))).isEqualTo(original);
    }

    private static Path corpus(String relative) {
        String prop = System.getProperty("kdeploy.corpus");
        Path base = prop != null ? Path.of(prop) : Path.of("../src/corpus");
        return base.resolve("containerd").resolve(relative);
    }

    private void write(String nodePath, String content) {
        try {
            Path p = host.resolve(nodePath.substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String read(String nodePath) {
        try {
            return Files.readString(host.resolve(nodePath.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every file, symlink and (with {@code withTimes}) directory under the host root: content hash, link target, and, with
     * {@code withTimes}, modification time and inode.
     */
    private Map<String, String> snapshot(boolean withTimes) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(host)) {
            for (Path p : s.toList()) {
                String node = "/" + host.relativize(p);
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String times = withTimes ? " " + a.lastModifiedTime() + " " + a.fileKey() : "";
                if (a.isSymbolicLink()) {
                    out.put(node, "-> " + Files.readSymbolicLink(p));
                } else if (a.isRegularFile()) {
                    out.put(node, io.kdeploy.core.plan.Bytes.of(Files.readAllBytes(p)).sha256() + times);
                } else if (withTimes) {
                    out.put(node, "dir" + times);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Map<String, String> withoutLockFile(Map<String, String> snapshot) {
        Map<String, String> out = new TreeMap<>(snapshot);
        out.remove("/run/lock/kdeploy.lock");
        return out;
    }
}
