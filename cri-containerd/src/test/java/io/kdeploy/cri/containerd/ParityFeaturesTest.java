package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.PerShim;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.UnitActions;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Debug/devkit variants, the user drop-in, the config file name, the declared distribution and erofs, case by case. */
class ParityFeaturesTest {
    private static final String CONFD_MAIN = "version = 3\nimports = [\"/etc/containerd/conf.d/*.toml\"]\n";
    private static final RuntimeInfo V22 = RuntimeInfo.parse("containerd://2.2.1");
    private final ContainerdConfigurator configurator = new ContainerdConfigurator();

    private static DeploySpec spec(String suffix, boolean debug, KataExtras extras, Map<String, String> snapshotters,
            String... shims) {
        return new DeploySpec(List.of(shims), shims[0], suffix, "", debug, snapshotters, Map.of(), Set.of(), PerShim.NONE,
                PerShim.NONE, PerShim.NONE, "kata-deploy", "", extras);
    }

    private static KataExtras userDropIn(String text) {
        return KataExtras.NONE.withUserDropIn("/custom-containerd-config/containerd-user-dropin.toml", text);
    }

    private static Map<String, Bytes> confd() {
        return Map.of(ContainerdPaths.CONTAINERD_MAIN, Bytes.utf8(CONFD_MAIN));
    }

    private ConfigPlan plan(Map<String, Bytes> files, DeploySpec spec, RuntimeInfo runtime) {
        return configurator.plan(PlanContext.fresh(NodeFiles.of(files), spec, runtime));
    }

    @Test
    void switchingDebugAndDevkitOffRemovesTheirHandlersExactly() {
        DeploySpec plain = spec("", false, KataExtras.NONE, Map.of(), "qemu", "clh");
        DeploySpec devkit = spec("", true, KataExtras.NONE.withDevkit(true), Map.of(), "qemu", "clh");
        TestNode node = new TestNode(confd());
        ConfigPlan withVariants = node.install(configurator, devkit, V22);
        assertThat(withVariants.handlers()).containsExactly("kata-qemu", "kata-clh", "kata-qemu-debug", "kata-clh-debug",
                "kata-qemu-devkit", "kata-clh-devkit");

        ConfigPlan off = node.install(configurator, plain, V22);

        assertThat(off.handlers()).containsExactly("kata-qemu", "kata-clh");
        assertThat(node.files()).isEqualTo(new TestNode(confd()).installed(configurator, plain, V22));
        assertThat(off.restartUnit()).isEqualTo("containerd");
        node.revert(configurator, plain, V22);
        assertThat(node.files()).isEqualTo(confd());
    }

    @Test
    void devkitWithoutDebugRegistersNoVariant() {
        DeploySpec s = spec("", false, KataExtras.NONE.withDevkit(true), Map.of(), "qemu");
        assertThat(s.variants()).isEmpty();
        assertThat(plan(confd(), s, V22).handlers()).containsExactly("kata-qemu");
    }

    @Test
    void variantsInheritTheShimsSnapshotter() {
        DeploySpec s = spec("x", true, KataExtras.NONE, Map.of("qemu-snp", "nydus"), "qemu-snp");
        TestNode node = new TestNode(confd());
        node.install(configurator, s, V22);
        TomlDocument doc = TomlDocument.parse("d", node.files().get("/etc/containerd/conf.d/kata-deploy-x.toml"));
        KeyPath rt = RuntimeStanza.runtimesTable(3).child("kata-qemu-snp-x-debug");
        assertThat(doc.get(rt.child("snapshotter"))).contains("nydus-for-kata-tee-x");
        assertThat(doc.get(rt.child("options").child("ConfigPath"))).contains(
                "/opt/kata-x/share/defaults/kata-containers/custom-runtimes/kata-qemu-snp-x-debug/configuration-qemu-snp.toml");
    }

    @Test
    void userDropInOnContainerd1IsAnErrorBeforeAnythingIsWritten() {
        DeploySpec s = spec("", false, userDropIn("version = 2\n"), Map.of(), "qemu");
        assertThatThrownBy(() -> plan(Map.of(ContainerdPaths.CONTAINERD_MAIN, Bytes.utf8("version = 2\n")), s,
                RuntimeInfo.parse("containerd://1.7.22")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("CONTAINERD_USER_DROP_IN_SOURCE_FILE")
                .hasMessageContaining("/custom-containerd-config/containerd-user-dropin.toml")
                .hasMessageContaining("containerd 1.x");
        assertThatThrownBy(() -> plan(Map.of(ContainerdPaths.MICROK8S_TEMPLATE, Bytes.utf8("version = 3\n")), s,
                new RuntimeInfo(io.kdeploy.core.Flavour.MICROK8S, RuntimeInfo.parse("containerd://2.1.3").version())))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("microk8s's template");
    }

    @Test
    void malformedUserDropInIsASpecError() {
        DeploySpec s = spec("", false, userDropIn("[plugins\nx = 1\n"), Map.of(), "qemu");
        assertThatThrownBy(() -> plan(confd(), s, V22))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("CONTAINERD_USER_DROP_IN_SOURCE_FILE")
                .hasMessageContaining("nothing was written");
    }

    @Test
    void twoInstallsKeepTheirOwnUserDropIns() {
        DeploySpec a = spec("a", false, userDropIn("# a\nversion = 3\n"), Map.of(), "qemu");
        DeploySpec b = spec("b", false, userDropIn("# b\nversion = 3\n"), Map.of(), "clh");
        TestNode node = new TestNode(confd());
        node.install(configurator, a, V22);
        node.install(configurator, b, V22);
        assertThat(node.files()).containsKeys("/etc/containerd/conf.d/zz-kata-deploy-user-a.toml",
                "/etc/containerd/conf.d/zz-kata-deploy-user-b.toml");

        node.revert(configurator, a, V22);

        assertThat(node.files()).doesNotContainKey("/etc/containerd/conf.d/zz-kata-deploy-user-a.toml");
        assertThat(node.files().get("/etc/containerd/conf.d/zz-kata-deploy-user-b.toml")).isEqualTo(
                Bytes.utf8("# b\nversion = 3\n"));
        node.revert(configurator, b, V22);
        assertThat(node.files()).isEqualTo(confd());
    }

    @Test
    void userDropInOnK3sGoesIntoTheImportedDirectory() {
        String rendered = "/var/lib/rancher/k3s/agent/etc/containerd/config.toml";
        Map<String, Bytes> files = Map.of(rendered, Bytes.utf8("version = 3\nimports = [\""
                + "/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.d/*.toml\"]\n"),
                "/etc/systemd/system/k3s.service", Bytes.utf8("[Unit]\n"));
        DeploySpec s = spec("", false, userDropIn("version = 3\n"), Map.of(), "qemu");
        ConfigPlan p = plan(files, s, new RuntimeInfo(io.kdeploy.core.Flavour.K3S, RuntimeInfo.parse("containerd://2.2.2-k3s1").version()));
        assertThat(p.changedPaths()).containsExactly(
                "/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.d/kata-deploy.toml",
                "/var/lib/rancher/k3s/agent/etc/containerd/config-v3.toml.d/zz-kata-deploy-user.toml");
    }

    @Test
    void configFileNameNamesTheMainFileOnContainerd1() {
        DeploySpec s = spec("", false, new KataExtras(false, "", "", "cfg.toml", "", 8090, Set.of(),
                KataExtras.Erofs.DEFAULT), Map.of(), "qemu");
        ConfigPlan p = plan(Map.of("/etc/containerd/cfg.toml", Bytes.utf8("version = 2\n")), s,
                RuntimeInfo.parse("containerd://1.7.22"));
        assertThat(p.changedPaths()).containsExactly("/etc/containerd/cfg.toml");
    }

    @Test
    void declaredDistributionMustMatchTheRuntime() {
        DeploySpec k3s = spec("", false, new KataExtras(false, "", "", "config.toml", "k3s", 8090, Set.of(),
                KataExtras.Erofs.DEFAULT), Map.of(), "qemu");
        assertThatThrownBy(() -> plan(confd(), k3s, V22))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("K8S_DISTRIBUTION is 'k3s' but this node runs containerd")
                .hasMessageContaining("\"k8s\"");
        DeploySpec k8s = spec("", false, new KataExtras(false, "", "", "config.toml", "kubeadm", 8090, Set.of(),
                KataExtras.Erofs.DEFAULT), Map.of(), "qemu");
        assertThat(plan(confd(), k8s, V22).isEmpty()).isFalse();
    }

    private static Map<String, Bytes> erofsHost() {
        Map<String, Bytes> files = new HashMap<>(confd());
        files.put("/sys/module/erofs/refcnt", Bytes.utf8("0\n"));
        files.put("/usr/bin/mkfs.erofs", Bytes.of("ELF\0mkfs-time\0sort\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return files;
    }

    private static DeploySpec erofs(KataExtras.Erofs modes, String shim) {
        return spec("", false, KataExtras.NONE.withSnapshotters(Set.of("erofs"), modes), Map.of(shim, "erofs"), shim);
    }

    @Test
    void erofsNeedsContainerd22() {
        assertThatThrownBy(() -> plan(erofsHost(), erofs(KataExtras.Erofs.DEFAULT, "qemu-runtime-rs"),
                RuntimeInfo.parse("containerd://2.1.3")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("containerd 2.2 or newer");
    }

    @Test
    void erofsNeedsKernelSupport() {
        Map<String, Bytes> files = new HashMap<>(erofsHost());
        files.remove("/sys/module/erofs/refcnt");
        assertThatThrownBy(() -> plan(files, erofs(KataExtras.Erofs.DEFAULT, "qemu-runtime-rs"), V22))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("no erofs support");
        files.put("/proc/modules", Bytes.utf8("erofs 131072 0 - Live 0x0\n"));
        assertThat(plan(files, erofs(KataExtras.Erofs.DEFAULT, "qemu-runtime-rs"), V22).isEmpty()).isFalse();
        files.remove("/proc/modules");
        files.put("/proc/sys/kernel/osrelease", Bytes.utf8("6.12.0-1\n"));
        files.put("/boot/config-6.12.0-1", Bytes.utf8("CONFIG_EROFS_FS=y\n"));
        assertThat(plan(files, erofs(KataExtras.Erofs.DEFAULT, "qemu-runtime-rs"), V22).isEmpty()).isFalse();
    }

    @Test
    void erofsReadsAGzippedKernelConfig() throws java.io.IOException {
        Map<String, Bytes> files = new HashMap<>(erofsHost());
        files.remove("/sys/module/erofs/refcnt");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write("# CONFIG_EROFS_FS is not set\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        files.put("/proc/config.gz", Bytes.of(out.toByteArray()));
        assertThatThrownBy(() -> plan(files, erofs(KataExtras.Erofs.DEFAULT, "qemu-runtime-rs"), V22))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("/proc/config.gz");
    }

    @Test
    void erofsDmverityNeedsTheModules() {
        assertThatThrownBy(() -> plan(erofsHost(), erofs(new KataExtras.Erofs(true, false, true), "qemu-runtime-rs"), V22))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("dm_mod");
    }

    @Test
    void erofsNeedsACapableMkfs() {
        Map<String, Bytes> files = new HashMap<>(erofsHost());
        files.remove("/usr/bin/mkfs.erofs");
        assertThatThrownBy(() -> plan(files, erofs(KataExtras.Erofs.DEFAULT, "qemu-runtime-rs"), V22))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("no mkfs.erofs");
        files.put("/sbin/mkfs.erofs", Bytes.utf8("ELF\0mkfs-time\0all-root\0"));
        assertThatThrownBy(() -> plan(files, erofs(KataExtras.Erofs.DEFAULT, "qemu-runtime-rs"), V22))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("--sort");
    }

    @Test
    void aGoShimOnMergedErofsIsRejectedButUnmergedIsFine() {
        assertThatThrownBy(() -> plan(erofsHost(), erofs(KataExtras.Erofs.DEFAULT, "qemu"), V22))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("Go shim 'qemu'")
                .hasMessageContaining("EROFS_MERGE_MODE=unmerged");
        TestNode node = new TestNode(erofsHost());
        node.install(configurator, erofs(new KataExtras.Erofs(false, false, false), "qemu"), V22);
        TomlDocument doc = TomlDocument.parse("d", node.files().get("/etc/containerd/conf.d/kata-deploy.toml"));
        KeyPath snap = KeyPath.of("plugins", "io.containerd.snapshotter.v1.erofs");
        assertThat(doc.has(snap.child("max_unmerged_layers"))).isFalse();
        assertThat(doc.get(snap.child("default_size"))).contains("10G");
        assertThat(doc.get(snap.child("dmverity_mode"))).contains("off");
    }

    @Test
    void nydusUnitIsStartedAfterInstallAndStoppedBeforeCleanupKeepingItsData() {
        Map<String, Bytes> files = new HashMap<>(confd());
        files.put("/var/lib/nydus-for-kata-tee/meta.db", Bytes.utf8("data"));
        DeploySpec s = spec("", false, KataExtras.NONE.withSnapshotters(Set.of("nydus"), KataExtras.Erofs.DEFAULT),
                Map.of("qemu-snp", "nydus"), "qemu-snp");
        TestNode node = new TestNode(files);

        ConfigPlan install = node.install(configurator, s, V22);

        assertThat(install.changedPaths()).contains("/etc/systemd/system/nydus-for-kata-tee.service",
                "/opt/kata/nydus-for-kata-tee/config-guest-pulling.toml");
        assertThat(UnitActions.of(install)).isEqualTo(new UnitActions(List.of(), List.of("nydus-for-kata-tee"), true));
        String unit = node.files().get("/etc/systemd/system/nydus-for-kata-tee.service").asUtf8();
        assertThat(unit).contains("Before=containerd.service", "WantedBy=containerd.service",
                "ExecStart=/opt/kata/bin/containerd-nydus-grpc --config"
                        + " /opt/kata/nydus-for-kata-tee/config-guest-pulling.toml --log-to-stdout", "Restart=always");
        assertThat(UnitActions.of(node.install(configurator, s, V22)).isEmpty()).as("nothing changed, nothing started")
                .isTrue();

        ConfigPlan cleanup = node.revert(configurator, s, V22);

        assertThat(UnitActions.of(cleanup)).isEqualTo(new UnitActions(List.of("nydus-for-kata-tee"), List.of(), true));
        assertThat(node.files()).isEqualTo(files);
    }

    @Test
    void nydusOnK0sStartsBeforeK0sWorker() {
        Map<String, Bytes> files = Map.of(ContainerdPaths.K0S_CONFIG, Bytes.utf8("version = 3\n"));
        DeploySpec s = spec("", false, KataExtras.NONE.withSnapshotters(Set.of("nydus"), KataExtras.Erofs.DEFAULT),
                Map.of("qemu-snp", "nydus"), "qemu-snp");
        TestNode node = new TestNode(files);
        node.install(configurator, s, new RuntimeInfo(io.kdeploy.core.Flavour.K0S,
                RuntimeInfo.parse("containerd://2.1.4").version()));
        assertThat(node.files().get("/etc/systemd/system/nydus-for-kata-tee.service").asUtf8())
                .contains("Before=k0sworker.service");
    }

    @Test
    void nydusSetupSwitchedOffStopsAndRemovesTheUnitWithTheNextInstall() {
        DeploySpec on = spec("z", false, KataExtras.NONE.withSnapshotters(Set.of("nydus"), KataExtras.Erofs.DEFAULT),
                Map.of("qemu-snp", "nydus"), "qemu-snp");
        DeploySpec off = spec("z", false, KataExtras.NONE, Map.of("qemu-snp", "nydus"), "qemu-snp");
        TestNode node = new TestNode(confd());
        node.install(configurator, on, V22);

        ConfigPlan plan = node.install(configurator, off, V22);

        assertThat(UnitActions.of(plan)).isEqualTo(new UnitActions(List.of("nydus-for-kata-tee-z"), List.of(), true));
        assertThat(node.files()).isEqualTo(new TestNode(confd()).installed(configurator, off, V22));
    }
}
