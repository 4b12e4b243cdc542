package io.kdeploy.cri.crio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.Version;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CrioConfiguratorTest {
    private static final String DROP_IN = "/etc/crio/crio.conf.d/99-kata-deploy";
    private static final String DEBUG = "/etc/crio/crio.conf.d/100-kata-deploy-debug";
    private final CrioConfigurator crio = new CrioConfigurator();

    private static Map<String, Bytes> with(Map<String, Bytes> node, String path, String content) {
        Map<String, Bytes> out = new TreeMap<>(node);
        out.put(path, Bytes.utf8(content));
        return out;
    }

    private ConfigPlan install(Map<String, Bytes> node, DeploySpec spec, TestNode.Record record) {
        return crio.plan(TestNode.context(node, spec, record, false));
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertThat(ServiceLoader.load(CriConfigurator.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(c -> c.id().equals("crio"))
                .singleElement()
                .isInstanceOf(CrioConfigurator.class);
    }

    @Test
    void supportsOnlyCrio() {
        assertThat(crio.id()).isEqualTo("crio");
        assertThat(crio.supports(RuntimeInfo.parse("cri-o://1.31.1"))).isTrue();
        assertThat(crio.supports(RuntimeInfo.parse("containerd://1.7.22"))).isFalse();
        assertThat(crio.supports(RuntimeInfo.parse("containerd://1.30.2-k3s1"))).isFalse();
    }

    @Test
    void writesOnlyTheDropInAndPointsAtTheNodePaths() {
        ConfigPlan plan = install(TestNode.host("fedora-crio-1.31"), TestNode.spec("qemu"), TestNode.Record.empty());
        assertThat(plan.changedPaths()).containsExactly(DROP_IN);
        FileEdit e = plan.edits().get(0);
        assertThat(e.before()).isNull();
        assertThat(e.baseline()).isNull();
        assertThat(e.mode()).isEqualTo(0644);
        assertThat(e.after().asUtf8())
                .contains("[crio.runtime.runtimes.kata-qemu]\n")
                .contains("runtime_path = \"/opt/kata/bin/containerd-shim-kata-v2\"\n")
                .contains("runtime_config_path = \"/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml\"\n")
                .doesNotContain("runtime_pull_image");
        assertThat(plan.toUnifiedDiff()).startsWith("--- /dev/null\n+++ b" + DROP_IN + "\n");
        assertThat(plan.warnings()).isEmpty();
    }

    @Nested
    class Conflicts {
        @Test
        void aHandlerOfTheSameNameInAUserFileIsAnInvalidSpec() {
            Map<String, Bytes> node = TestNode.host("conflicts");
            assertThatThrownBy(() -> install(node, TestNode.spec("qemu", "clh"), TestNode.Record.empty()))
                    .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                    .hasMessageContaining("/etc/crio/crio.conf defines [crio.runtime.runtimes.kata-qemu]")
                    .hasMessageContaining("/etc/crio/crio.conf.d/999-gpu-runtimes.conf defines"
                            + " [crio.runtime.runtimes.kata-clh]")
                    .hasMessageContaining(DROP_IN)
                    .hasMessageContaining("--force");
        }

        @Test
        void withForceTheCollisionIsAWarningSayingWhichDefinitionWins() {
            ConfigPlan plan = crio.plan(TestNode.context(TestNode.host("conflicts"), TestNode.spec("qemu", "clh"),
                    TestNode.Record.empty(), true));
            assertThat(plan.changedPaths()).containsExactly(DROP_IN);
            assertThat(plan.warnings()).anySatisfy(w -> assertThat(w)
                    .startsWith("/etc/crio/crio.conf also defines handler kata-qemu")
                    .contains("the kata-qemu settings in /etc/crio/crio.conf are ignored"));
            assertThat(plan.warnings()).anySatisfy(w -> assertThat(w)
                    .startsWith("/etc/crio/crio.conf.d/999-gpu-runtimes.conf also defines handler kata-clh")
                    .contains("kdeploy's kata-clh is NOT what CRI-O runs"));
        }

        @Test
        void aShimWithoutCollisionInstallsOnTheSameNode() {
            ConfigPlan plan = install(TestNode.host("conflicts"), TestNode.spec("qemu-runtime-rs"), TestNode.Record.empty());
            assertThat(plan.changedPaths()).containsExactly(DROP_IN);
            assertThat(plan.warnings()).singleElement().asString()
                    .startsWith("/etc/crio/crio.conf.d/zz-storage.conf sets storage_option"
                            + " \"overlay.skip_mount_home=false\" and CRI-O reads it after " + DROP_IN);
        }

        @Test
        void aCollisionInASubdirectoryOfTheDropInDirectoryIsFound() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/00-site/kata.conf",
                    "[crio.runtime.runtimes.kata-qemu]\nruntime_path = \"/usr/bin/containerd-shim-kata-v2\"\n");
            assertThatThrownBy(() -> install(node, TestNode.spec("qemu"), TestNode.Record.empty()))
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("/etc/crio/crio.conf.d/00-site/kata.conf defines [crio.runtime.runtimes.kata-qemu]");
        }

        @Test
        void aDropInWithByteOrderMarkAndCrlfIsReadLikeAnyOther() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/70-windows-edited.conf",
                    "\uFEFF# edited on a laptop\r\n[crio.runtime.runtimes.\"kata-qemu\"]\r\nruntime_type = \"vm\"\r\n");
            assertThatThrownBy(() -> install(node, TestNode.spec("qemu"), TestNode.Record.empty()))
                    .hasMessageContaining("/etc/crio/crio.conf.d/70-windows-edited.conf defines"
                            + " [crio.runtime.runtimes.kata-qemu]");
        }

        @Test
        void aDottedKeyDefinitionCollidesToo() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/60-kata.conf",
                    "crio.runtime.runtimes.kata-qemu.runtime_type = \"vm\"\n");
            assertThatThrownBy(() -> install(node, TestNode.spec("qemu"), TestNode.Record.empty()))
                    .hasMessageContaining("/etc/crio/crio.conf.d/60-kata.conf defines");
        }

        @Test
        void anotherKdeployInstancesFilesAreNotAConflict() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/99-kata-deploy-gpu",
                    "[crio]\nstorage_option = [\"overlay.skip_mount_home=true\"]\n\n[crio.runtime.runtimes.kata-qemu-gpu]\n"
                            + "runtime_type = \"vm\"\n");
            node = with(node, "/etc/crio/crio.conf.d/100-kata-deploy-debug-gpu", "[crio.runtime]\nlog_level = \"debug\"\n");
            ConfigPlan plan = install(node, TestNode.spec("qemu", "clh"), TestNode.Record.empty());
            assertThat(plan.warnings()).isEmpty();
            assertThat(plan.changedPaths()).containsExactly(DROP_IN);
        }

        @Test
        void theSameHandlerInAnotherKataInstallsFileIsAWarningNotAnError() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/99-kata-deploy-gpu",
                    "[crio.runtime.runtimes.kata-qemu-gpu]\nruntime_type = \"vm\"\n");
            ConfigPlan plan = install(node, TestNode.spec("qemu-gpu"), TestNode.Record.empty());
            assertThat(plan.warnings()).singleElement().asString()
                    .startsWith("/etc/crio/crio.conf.d/99-kata-deploy-gpu (another Kata install) also defines handler"
                            + " kata-qemu-gpu; CRI-O uses the definition in /etc/crio/crio.conf.d/99-kata-deploy-gpu");
        }

        @Test
        void aLaterStorageOptionThatKeepsSkipMountHomeIsMergedByCrio() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/zz-storage.conf",
                    "[crio]\nstorage_option = [\"overlay.mountopt=nodev,metacopy=on\"]\n");
            assertThat(install(node, TestNode.spec("qemu"), TestNode.Record.empty()).warnings()).isEmpty();
        }

        @Test
        void onCrioBefore123AnyLaterStorageOptionReplacesOursAndOursReplacesEarlierOnes() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/zz-storage.conf",
                    "[crio]\nstorage_option = [\"overlay.mountopt=nodev,metacopy=on\"]\n");
            ConfigPlan plan = crio.plan(new PlanContext(NodeFiles.of(node), TestNode.spec("qemu"),
                    RuntimeInfo.parse("cri-o://1.22.5"), TestNode.Record.empty(), false));
            assertThat(plan.warnings()).containsExactly(
                    "/etc/crio/crio.conf sets storage_option \"overlay.mountopt=nodev\" and CRI-O reads it before " + DROP_IN
                            + "; CRI-O before 1.23 replaces the whole list, so these options are dropped while kdeploy is"
                            + " installed. Upgrade CRI-O, or move the options to /etc/containers/storage.conf.",
                    "/etc/crio/crio.conf.d/zz-storage.conf sets storage_option and CRI-O reads it after " + DROP_IN
                            + "; CRI-O before 1.23 replaces the whole list, dropping \"overlay.skip_mount_home=true\"."
                            + " Add that entry to the list there, or upgrade CRI-O.");
        }

        @Test
        void aQuieterLogLevelReadAfterTheDebugDropInIsReportedOnlyWithDebug() {
            Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf.d/20-log.conf",
                    "[crio.runtime]\nlog_level = \"error\"\n");
            node = with(node, "/etc/crio/crio.conf.d/05-log.conf", "[crio.runtime]\nlog_level = \"error\"\n");
            DeploySpec spec = TestNode.spec("qemu");
            assertThat(install(node, spec, TestNode.Record.empty()).warnings()).isEmpty();
            assertThat(install(node, spec.withDebug(true), TestNode.Record.empty()).warnings()).singleElement().asString()
                    .startsWith("/etc/crio/crio.conf.d/20-log.conf sets log_level = \"error\" and CRI-O reads it after "
                            + DEBUG);
        }

        @Test
        void skipMountHomeContradictions() {
            assertThat(CrioConflicts.turnsSkipMountHomeOff("overlay.skip_mount_home=false")).isTrue();
            assertThat(CrioConflicts.turnsSkipMountHomeOff("overlay2.skip_mount_home = 0")).isTrue();
            assertThat(CrioConflicts.turnsSkipMountHomeOff(".Skip_Mount_Home=no")).isTrue();
            assertThat(CrioConflicts.turnsSkipMountHomeOff("overlay.skip_mount_home=true")).isFalse();
            assertThat(CrioConflicts.turnsSkipMountHomeOff("overlay.skip_mount_home=1")).isFalse();
            assertThat(CrioConflicts.turnsSkipMountHomeOff("overlay.mountopt=nodev")).isFalse();
            assertThat(CrioConflicts.turnsSkipMountHomeOff("skip_mount_home")).isFalse();
        }
    }

    @Test
    void crioReadsDropInsInLexicalByteOrder() {
        CrioConfigFile main = new CrioConfigFile("/etc/crio/crio.conf", null, List.of(), null, null);
        assertThat(main.readAfter("99-kata-deploy")).isFalse();
        for (String later : List.of("999-gpu.conf", "99-kata-deploy.conf", "99-kata-deploy-a", "zz.conf", "Z-upper",
                "a")) {
            assertThat(file(later).readAfter("99-kata-deploy")).as(later).isTrue();
        }
        for (String earlier : List.of("100-kata-deploy-debug", "10-crio.conf", "50-runc.conf", "98-x", "9-x", "99-kata")) {
            assertThat(file(earlier).readAfter("99-kata-deploy")).as(earlier).isFalse();
        }
        assertThat(file("20-logging.conf").readAfter("100-kata-deploy-debug")).isTrue();
        assertThat(CrioFiles.compareNames("é", "z")).as("UTF-8 bytes, not UTF-16").isPositive();
    }

    private static CrioConfigFile file(String name) {
        return new CrioConfigFile("/etc/crio/crio.conf.d/" + name, name, List.of(), null, null);
    }

    @Test
    void snapshotterMappingsAreReportedNotSilentlyDropped() {
        DeploySpec spec = TestNode.spec(List.of("qemu", "qemu-coco-dev"), "", "", false, Map.of(),
                Map.of("qemu-coco-dev", "nydus"));
        ConfigPlan plan = install(TestNode.host("fedora-crio-1.31"), spec, TestNode.Record.empty());
        assertThat(plan.warnings()).singleElement().asString()
                .startsWith("SNAPSHOTTER_HANDLER_MAPPING (qemu-coco-dev:nydus) is ignored on CRI-O");
        assertThat(plan.edits().get(0).after().asUtf8()).doesNotContain("snapshotter").doesNotContain("nydus");
    }

    @Test
    void aMalformedUserDropInStopsThePlanWithFileLineAndColumn() {
        assertThatThrownBy(() -> install(TestNode.host("malformed"), TestNode.spec("qemu"), TestNode.Record.empty()))
                .isInstanceOfSatisfying(MalformedConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("/etc/crio/crio.conf.d/30-proxy.conf");
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.column()).isPositive();
                    assertThat(e.exitCode()).isEqualTo(3);
                })
                .hasMessageStartingWith("/etc/crio/crio.conf.d/30-proxy.conf:5:");
    }

    @Test
    void aMalformedMainConfigIsReportedToo() {
        Map<String, Bytes> node = with(TestNode.host("fedora-crio-1.31"), "/etc/crio/crio.conf",
                "[crio]\nstorage_driver = \"overlay\"\n[crio]\nlog_dir = \"/var/log\"\n");
        assertThatThrownBy(() -> install(node, TestNode.spec("qemu"), TestNode.Record.empty()))
                .isInstanceOfSatisfying(MalformedConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo("/etc/crio/crio.conf");
                    assertThat(e.line()).isEqualTo(3);
                });
    }

    @Test
    void ourOwnDropInIsNotReadSoADamagedOneIsSimplyReplaced() {
        Map<String, Bytes> host = TestNode.host("fedora-crio-1.31");
        Map<String, Bytes> node = with(host, DROP_IN, "[crio.runtime.runtimes.kata-qemu\n");
        ConfigPlan plan = install(node, TestNode.spec("qemu"), TestNode.Record.empty().after(
                new ConfigPlan(List.of(new FileEdit(DROP_IN, null, Bytes.utf8("x"), null, 0644, List.of())), null, null,
                        List.of(), List.of())));
        assertThat(plan.changedPaths()).containsExactly(DROP_IN);
        assertThat(plan.edits().get(0).baseline()).isNull();
    }

    @Nested
    class Lifecycle {
        private final Map<String, Bytes> host = TestNode.host("fedora-crio-1.31");

        @Test
        void twoInstancesWithSuffixesInstallSideBySideAndEachRevertsOnlyItsOwnFile() {
            DeploySpec first = TestNode.spec("qemu", "clh");
            DeploySpec second = TestNode.spec("qemu", "qemu-snp").withSuffix("canary");
            ConfigPlan p1 = install(host, first, TestNode.Record.empty());
            Map<String, Bytes> n1 = TestNode.apply(host, p1);
            TestNode.Record r1 = TestNode.Record.empty().after(p1);
            ConfigPlan p2 = install(n1, second, TestNode.Record.empty());
            assertThat(p2.changedPaths()).containsExactly("/etc/crio/crio.conf.d/99-kata-deploy-canary");
            assertThat(p2.warnings()).isEmpty();
            assertThat(p2.handlers()).containsExactly("kata-qemu-canary", "kata-qemu-snp-canary");
            Map<String, Bytes> n2 = TestNode.apply(n1, p2);
            TestNode.Record r2 = TestNode.Record.empty().after(p2);

            assertThat(install(n2, first, r1).isEmpty()).isTrue();
            assertThat(install(n2, second, r2).isEmpty()).isTrue();

            ConfigPlan revertFirst = crio.planRevert(TestNode.context(n2, first, r1, false));
            assertThat(revertFirst.changedPaths()).containsExactly(DROP_IN);
            Map<String, Bytes> n3 = TestNode.apply(n2, revertFirst);
            assertThat(n3).containsKey("/etc/crio/crio.conf.d/99-kata-deploy-canary").doesNotContainKey(DROP_IN);
            ConfigPlan revertSecond = crio.planRevert(TestNode.context(n3, second, r2, false));
            assertThat(TestNode.apply(n3, revertSecond)).isEqualTo(host);
        }

        @Test
        void turningDebugOffDeletesTheDebugDropInAndRevertRestoresTheHost() {
            DeploySpec spec = TestNode.spec(List.of("qemu"), "canary", "", true, Map.of(), Map.of());
            ConfigPlan on = install(host, spec, TestNode.Record.empty());
            assertThat(on.changedPaths()).containsExactly("/etc/crio/crio.conf.d/99-kata-deploy-canary",
                    "/etc/crio/crio.conf.d/100-kata-deploy-debug-canary");
            assertThat(on.edits().get(1).after()).isEqualTo(Bytes.utf8("[crio.runtime]\nlog_level = \"debug\"\n"));
            Map<String, Bytes> n1 = TestNode.apply(host, on);
            TestNode.Record r1 = TestNode.Record.empty().after(on);

            ConfigPlan off = install(n1, spec.withDebug(false), r1);
            assertThat(off.changedPaths()).as("the debug variants leave the handler drop-in, the debug drop-in goes")
                    .containsExactly("/etc/crio/crio.conf.d/99-kata-deploy-canary",
                            "/etc/crio/crio.conf.d/100-kata-deploy-debug-canary");
            assertThat(off.edits().get(1).after()).isNull();
            assertThat(off.edits().get(0).after().asUtf8()).contains("kata-qemu-canary]").doesNotContain("-debug");
            assertThat(off.restartUnit()).isEqualTo("crio");
            Map<String, Bytes> n2 = TestNode.apply(n1, off);
            assertThat(install(n2, spec.withDebug(false), r1).isEmpty()).isTrue();

            assertThat(TestNode.apply(n2, crio.planRevert(TestNode.context(n2, spec, r1, false)))).isEqualTo(host);
        }

        @Test
        void droppingAShimOnReinstallRemovesItsHandler() {
            ConfigPlan both = install(host, TestNode.spec("qemu", "clh"), TestNode.Record.empty());
            Map<String, Bytes> n1 = TestNode.apply(host, both);
            TestNode.Record r1 = TestNode.Record.empty().after(both);
            ConfigPlan one = install(n1, TestNode.spec("qemu"), r1);
            assertThat(one.changedPaths()).containsExactly(DROP_IN);
            assertThat(one.edits().get(0).after().asUtf8()).contains("kata-qemu]").doesNotContain("kata-clh");
            assertThat(one.edits().get(0).baseline()).isNull();
            Map<String, Bytes> n2 = TestNode.apply(n1, one);
            assertThat(TestNode.apply(n2, crio.planRevert(TestNode.context(n2, TestNode.spec("qemu"), r1, false))))
                    .isEqualTo(host);
        }

        @Test
        void revertWithoutARecordLeavesAnUnknownDropInAndSaysSo() {
            Map<String, Bytes> node = TestNode.host("kata-deploy-upgrade");
            ConfigPlan plan = crio.planRevert(TestNode.context(node, TestNode.spec("qemu"), TestNode.Record.empty(), false));
            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.restartUnit()).isNull();
            assertThat(plan.warnings()).singleElement().asString()
                    .startsWith(DROP_IN + " exists but this install (default) has no record of writing it");
        }
    }

    @Nested
    class Detection {
        private final Map<String, Bytes> conf = Map.of("/etc/crio/crio.conf", Bytes.utf8("[crio]\n"));

        @Test
        void configAndBinaryMeanCrioWithTheVersionFromItsVersionFile() {
            Map<String, Bytes> node = new TreeMap<>(TestNode.host("fedora-crio-1.31"));
            node.put("/usr/bin/crio", Bytes.utf8("\u007fELF"));
            assertThat(crio.detect(NodeFiles.of(node)))
                    .contains(new RuntimeInfo(Flavour.CRIO, new Version(1, 31, 1)));
        }

        @Test
        void aDropInDirectoryAndAUnitAreEnoughVersionUnknown() {
            Map<String, Bytes> node = Map.of(
                    "/etc/crio/crio.conf.d/10-crio.conf", Bytes.utf8("[crio.runtime]\n"),
                    "/usr/lib/systemd/system/crio.service", Bytes.utf8("[Unit]\n"),
                    "/run/crio/version", Bytes.utf8("not a version"));
            assertThat(crio.detect(NodeFiles.of(node))).contains(new RuntimeInfo(Flavour.CRIO, new Version(0, 0, 0)));
        }

        @Test
        void configWithoutBinaryOrUnitIsNotCrio() {
            assertThat(crio.detect(NodeFiles.of(conf))).isEmpty();
        }

        @Test
        void binaryWithoutConfigIsNotCrio() {
            assertThat(crio.detect(NodeFiles.of(Map.of("/usr/local/bin/crio", Bytes.utf8("bin"))))).isEmpty();
        }

        @Test
        void aDirectoryNamedCrioIsNotTheBinary() {
            Map<String, Bytes> node = new TreeMap<>(conf);
            node.put("/usr/bin/crio/readme", Bytes.utf8("x"));
            assertThat(crio.detect(NodeFiles.of(node))).isEmpty();
            assertThat(CrioConfigurator.validation(NodeFiles.of(node))).isNull();
        }
    }
}
