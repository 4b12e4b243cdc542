package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.LockTimeoutException;
import io.kdeploy.core.RuntimeRejectedConfigException;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.spi.Baselines;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanApplierTest {
    static final String MAIN = "/etc/containerd/config.toml";
    static final String DROPIN = "/etc/containerd/conf.d/kata-deploy.toml";
    static final String ORIGINAL = "version = 2\r\n\r\n# the user's runc\r\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\r\n"
            + "  runtime_type = \"io.containerd.runc.v2\"\r\n";

    @TempDir
    Path dir;

    HostRoot root;

    @BeforeEach
    void setUp() throws IOException {
        root = HostRoot.of(dir);
        Files.createDirectories(dir.resolve("etc/containerd"));
        Files.writeString(dir.resolve("etc/containerd/config.toml"), ORIGINAL);
    }

    /** A small configurer: kata handlers in the main file plus a drop-in we own, planned from the baselines. */
    static ConfigPlan plan(NodeFiles files, Baselines baselines, List<String> shims, ValidationCommand validation) {
        Bytes base = baselines.baseline(MAIN, files);
        TomlDocument doc = TomlDocument.parse(MAIN, base);
        List<TomlEdit> edits = new ArrayList<>();
        for (String shim : shims) {
            KeyPath rt = KeyPath.parse("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-" + shim);
            edits.add(new TomlEdit.SetValue(rt.child("runtime_type"), TomlValues.string("io.containerd.kata-" + shim + ".v2")));
            edits.add(new TomlEdit.SetValue(rt.child("privileged_without_host_devices"), "true"));
        }
        edits.add(new TomlEdit.AppendToArray(KeyPath.of("imports"), TomlValues.string(DROPIN)));
        TomlDocument result = doc.applyAll(edits);
        Bytes dropBase = baselines.baseline(DROPIN, files);
        TomlDocument drop = TomlDocument.parse(DROPIN, dropBase)
                .apply(new TomlEdit.SetValue(KeyPath.of("version"), "2"));
        return new ConfigPlan(List.of(
                FileEdit.of(MAIN, files.read(MAIN).orElse(null), base, result, 0644),
                FileEdit.of(DROPIN, files.read(DROPIN).orElse(null), dropBase, drop, 0640)),
                "containerd", validation, List.of(), List.of());
    }

    PlanApplier applier(CommandRunner runner) {
        return PlanApplier.builder(root).commandRunner(runner).lockTimeout(Duration.ofMillis(300)).build();
    }

    static final ValidationCommand VALIDATE = new ValidationCommand(List.of("containerd", "config", "dump"));
    static final CommandRunner OK = argv -> new CommandRunner.Result(0, "ok");

    ConfigPlan install(List<String> shims) {
        return plan(root, InstallRecords.baselinesFor(root, "default"), shims, VALIDATE);
    }

    ConfigPlan revert() {
        Baselines b = InstallRecords.baselinesFor(root, "default");
        return ConfigPlan.revert(new PlanContext(root, DeploySpec.of("qemu"), RuntimeInfo.parse("containerd://1.7.22"), b, false),
                "containerd", null);
    }

    String main() throws IOException {
        return Files.readString(dir.resolve("etc/containerd/config.toml"));
    }

    @Test
    void installWritesFilesAndRecordThenRevertRestoresEveryByte() throws IOException {
        Files.setPosixFilePermissions(dir.resolve("etc/containerd/config.toml"), PosixFilePermissions.fromString("rw-------"));
        ApplyResult r = applier(OK).apply(install(List.of("qemu", "clh")), "default");

        assertThat(r.changedPaths()).containsExactly(MAIN, DROPIN);
        assertThat(r.restartRequired()).isTrue();
        assertThat(main()).contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]\r\n")
                .startsWith("version = 2\r\nimports = [\"" + DROPIN + "\"]\r\n");
        assertThat(Files.getPosixFilePermissions(dir.resolve("etc/containerd/config.toml")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("etc/containerd/conf.d/kata-deploy.toml")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        InstallRecord rec = InstallRecords.read(root, "default").orElseThrow();
        assertThat(rec.state()).isEqualTo(InstallRecord.State.COMPLETE);
        assertThat(rec.file(MAIN).orElseThrow().original()).isEqualTo(Bytes.utf8(ORIGINAL));
        assertThat(rec.file(DROPIN).orElseThrow().created()).isTrue();

        assertThat(install(List.of("qemu", "clh")).isEmpty()).as("re-running install changes nothing").isTrue();

        ApplyResult undone = applier(OK).apply(revert(), "default");
        assertThat(undone.changedPaths()).containsExactlyInAnyOrder(MAIN, DROPIN);
        assertThat(main()).isEqualTo(ORIGINAL);
        assertThat(dir.resolve("etc/containerd/conf.d/kata-deploy.toml")).doesNotExist();
        assertThat(dir.resolve("var/lib/kdeploy/default.json")).doesNotExist();
    }

    @Test
    void reinstallWithOtherShimsDropsTheOldHandlersAndStillRevertsExactly() throws IOException {
        applier(OK).apply(install(List.of("qemu", "clh")), "default");
        applier(OK).apply(install(List.of("fc")), "default");
        assertThat(main()).contains("kata-fc").doesNotContain("kata-qemu").doesNotContain("kata-clh");
        applier(OK).apply(revert(), "default");
        assertThat(main()).isEqualTo(ORIGINAL);
    }

    @Test
    void revertKeepsWhatSomeoneElseChangedAfterUs() throws IOException {
        applier(OK).apply(install(List.of("qemu")), "default");
        String theirs = main().replace("  runtime_type = \"io.containerd.runc.v2\"\r\n",
                "  runtime_type = \"io.containerd.runc.v2\"\r\n  their_key = 1\r\n");
        Files.writeString(dir.resolve("etc/containerd/config.toml"), theirs);

        applier(OK).apply(revert(), "default");

        assertThat(main()).isEqualTo(ORIGINAL.replace("runc.v2\"\r\n", "runc.v2\"\r\n  their_key = 1\r\n"));
    }

    @Test
    void emptyPlanWritesNothingAtAll() throws IOException {
        ConfigPlan same = new ConfigPlan(List.of(FileEdit.of(MAIN, Bytes.utf8(ORIGINAL), Bytes.utf8(ORIGINAL),
                TomlDocument.parse(MAIN, ORIGINAL), 0644)), "containerd", VALIDATE, List.of(), List.of());
        AtomicInteger runs = new AtomicInteger();
        ApplyResult r = applier(argv -> {
            runs.incrementAndGet();
            return new CommandRunner.Result(0, "");
        }).apply(same, "default");
        assertThat(r.unchanged()).isTrue();
        assertThat(runs).hasValue(0);
        assertThat(dir.resolve("run")).doesNotExist();
        assertThat(dir.resolve("var")).doesNotExist();
    }

    @Test
    void failingValidationRestoresEveryFileByteForByte() throws IOException {
        applier(OK).apply(install(List.of("qemu")), "default");
        String afterFirst = main();
        Bytes recordBefore = root.read(InstallRecords.nodePath("default")).orElseThrow();

        CommandRunner reject = argv -> new CommandRunner.Result(1, "containerd: invalid plugin config");
        assertThatThrownBy(() -> applier(reject).apply(install(List.of("qemu", "clh")), "default"))
                .isInstanceOf(RuntimeRejectedConfigException.class)
                .hasMessageContaining("containerd config dump")
                .satisfies(e -> assertThat(((RuntimeRejectedConfigException) e).runtimeOutput())
                        .isEqualTo("containerd: invalid plugin config"));

        assertThat(main()).isEqualTo(afterFirst);
        assertThat(root.read(InstallRecords.nodePath("default"))).contains(recordBefore);
    }

    @Test
    void aValidationCommandThatCannotRunAlsoRollsBack() throws IOException {
        CommandRunner missing = argv -> {
            throw new io.kdeploy.core.KdeployException("cannot run containerd: No such file or directory");
        };
        assertThatThrownBy(() -> applier(missing).apply(install(List.of("qemu")), "default"))
                .hasMessageContaining("cannot run containerd");
        assertThat(main()).isEqualTo(ORIGINAL);
        assertThat(dir.resolve("var/lib/kdeploy/default.json")).doesNotExist();
    }

    @Test
    void failingValidationOnAFreshNodeLeavesNoTrace() throws IOException {
        CommandRunner reject = argv -> new CommandRunner.Result(2, "bad");
        assertThatThrownBy(() -> applier(reject).apply(install(List.of("qemu")), "default"))
                .isInstanceOf(RuntimeRejectedConfigException.class);
        assertThat(main()).isEqualTo(ORIGINAL);
        assertThat(dir.resolve("etc/containerd/conf.d/kata-deploy.toml")).doesNotExist();
        assertThat(dir.resolve("var/lib/kdeploy/default.json")).doesNotExist();
    }

    @Test
    void aFileChangedBetweenPlanAndApplyIsRefusedAndNothingIsWritten() throws IOException {
        ConfigPlan p = install(List.of("qemu"));
        Files.writeString(dir.resolve("etc/containerd/config.toml"), ORIGINAL + "# edited meanwhile\r\n");

        assertThatThrownBy(() -> applier(OK).apply(p, "default"))
                .isInstanceOf(StalePlanException.class)
                .hasMessageContaining(MAIN);
        assertThat(main()).isEqualTo(ORIGINAL + "# edited meanwhile\r\n");
        assertThat(dir.resolve("etc/containerd/conf.d")).doesNotExist();
        assertThat(dir.resolve("var/lib/kdeploy/default.json")).doesNotExist();
    }

    @Test
    void lockHeldByAnotherRunTimesOut() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            NodeLock l = NodeLock.acquire(root, Duration.ofSeconds(5));
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                l.close();
            }
        });
        other.start();
        held.await();
        try {
            assertThatThrownBy(() -> applier(OK).apply(install(List.of("qemu")), "default"))
                    .isInstanceOf(LockTimeoutException.class)
                    .hasMessageContaining("run/lock/kdeploy.lock")
                    .hasMessageContaining("300 ms");
            assertThat(main()).isEqualTo(ORIGINAL);
        } finally {
            release.countDown();
            other.join();
        }
        assertThat(applier(OK).apply(install(List.of("qemu")), "default").changedPaths()).hasSize(2);
    }

    @Test
    void twoInstancesPlanningAndApplyingAtTheSameTimeBothEndUpRegistered() throws Exception {
        PlanApplier applier = PlanApplier.builder(root).commandRunner(OK).lockTimeout(Duration.ofSeconds(30)).build();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (String instance : List.of("a", "b")) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        applier.planAndApply(instance, r -> suffixed(r, InstallRecords.baselinesFor(r, instance), instance));
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(main()).contains("kata-qemu-a]").contains("kata-qemu-b]");
        applier.apply(ConfigPlan.revert(new PlanContext(root, DeploySpec.of("qemu"), RuntimeInfo.parse("containerd://1.7.22"),
                InstallRecords.baselinesFor(root, "a"), false), null, null), "a");
        assertThat(main()).doesNotContain("kata-qemu-a]").contains("kata-qemu-b]");
        applier.apply(ConfigPlan.revert(new PlanContext(root, DeploySpec.of("qemu"), RuntimeInfo.parse("containerd://1.7.22"),
                InstallRecords.baselinesFor(root, "b"), false), null, null), "b");
        assertThat(main()).isEqualTo(ORIGINAL);
    }

    /** One handler {@code kata-qemu-<instance>} in the main file, planned from this instance's baseline. */
    static ConfigPlan suffixed(NodeFiles files, Baselines baselines, String instance) {
        Bytes base = baselines.baseline(MAIN, files);
        KeyPath rt = KeyPath.parse("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu-" + instance);
        TomlDocument doc = TomlDocument.parse(MAIN, base)
                .apply(new TomlEdit.SetValue(rt.child("runtime_type"), TomlValues.string("io.containerd.kata-qemu.v2")));
        return new ConfigPlan(List.of(FileEdit.of(MAIN, files.read(MAIN).orElse(null), base, doc, 0644)), "containerd", null,
                List.of(), List.of());
    }

    PlanApplier crashingAt(String nodePath) {
        return PlanApplier.builder(root).commandRunner(OK).writeObserver(path -> {
            if (path.equals(nodePath)) {
                throw new IllegalStateException("killed");
            }
        }).build();
    }

    @Test
    void crashHalfWayThenInstallAgainConvergesAndCleanupRestoresOriginalBytes() throws IOException {
        String clean = cleanRun(List.of("qemu", "clh"));
        assertThatThrownBy(() -> crashingAt(DROPIN).apply(install(List.of("qemu", "clh")), "default")).hasMessage("killed");
        assertThat(InstallRecords.read(root, "default").orElseThrow().inProgress()).isTrue();
        assertThat(main()).as("the main file was written before the crash").isEqualTo(clean);

        ApplyResult again = applier(OK).apply(install(List.of("qemu", "clh")), "default");
        assertThat(again.changedPaths()).containsExactly(DROPIN);
        assertThat(main()).isEqualTo(clean);
        assertThat(InstallRecords.read(root, "default").orElseThrow().inProgress()).isFalse();

        applier(OK).apply(revert(), "default");
        assertThat(main()).isEqualTo(ORIGINAL);
        assertThat(dir.resolve("etc/containerd/conf.d/kata-deploy.toml")).doesNotExist();
        assertThat(dir.resolve("var/lib/kdeploy/default.json")).doesNotExist();
    }

    @Test
    void crashBeforeAnyWriteOfAReinstallThenCleanupRestoresOriginalBytes() throws IOException {
        applier(OK).apply(install(List.of("qemu")), "default");
        assertThatThrownBy(() -> crashingAt(MAIN).apply(install(List.of("qemu", "clh")), "default")).hasMessage("killed");
        assertThat(InstallRecords.read(root, "default").orElseThrow().inProgress()).isTrue();

        applier(OK).apply(revert(), "default");
        assertThat(main()).isEqualTo(ORIGINAL);
        assertThat(dir.resolve("var/lib/kdeploy/default.json")).doesNotExist();
    }

    @Test
    void crashDuringRevertThenCleanupAgainFinishes() throws IOException {
        applier(OK).apply(install(List.of("qemu")), "default");
        PlanApplier crashing = crashingAt(MAIN);
        ConfigPlan rev = revert();
        assertThat(rev.edits().get(0).path()).isEqualTo(DROPIN);
        assertThatThrownBy(() -> crashing.apply(rev, "default")).hasMessage("killed");

        applier(OK).apply(revert(), "default");
        assertThat(main()).isEqualTo(ORIGINAL);
        assertThat(dir.resolve("var/lib/kdeploy/default.json")).doesNotExist();
    }

    private String cleanRun(List<String> shims) throws IOException {
        Path other = Files.createTempDirectory(dir.getParent(), "clean");
        Files.createDirectories(other.resolve("etc/containerd"));
        Files.writeString(other.resolve("etc/containerd/config.toml"), ORIGINAL, StandardCharsets.UTF_8);
        HostRoot r = HostRoot.of(other);
        PlanApplier a = PlanApplier.builder(r).commandRunner(OK).build();
        a.apply(plan(r, InstallRecords.baselinesFor(r, "default"), shims, VALIDATE), "default");
        return Files.readString(other.resolve("etc/containerd/config.toml"));
    }
}
