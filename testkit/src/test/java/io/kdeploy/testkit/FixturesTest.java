package io.kdeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.artifacts.BundleBuilder;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.HostRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NodeFixture}, {@link BundleBuilder} and the failure messages of {@link ConfigPlanAssert}. */
class FixturesTest {
    private static final String CONFIG = "version = 2\r\n";

    @Test
    void nodeFixtureInMemoryAndOnDiskHoldTheSameFiles(@TempDir Path tmp) {
        NodeFixture node = NodeFixture.containerd("1.7.22").withConfig(CONFIG).withFile("/etc/other.toml", "a = 1\n");
        assertThat(node.runtime().flavour()).isEqualTo(Flavour.CONTAINERD);
        assertThat(node.runtime().toRuntimeVersion()).isEqualTo("containerd://1.7.22");
        assertThat(node.nodeFiles().read("/etc/containerd/config.toml")).contains(Bytes.utf8(CONFIG));

        HostRoot root = node.writeTo(tmp.resolve("root"));
        for (String path : node.files().keySet()) {
            assertThat(root.read(path)).as(path).isEqualTo(node.nodeFiles().read(path));
        }
        assertThat(root.list("/etc")).isEqualTo(node.nodeFiles().list("/etc")).containsExactly("containerd", "other.toml");
        assertThat(node.without("/etc/other.toml").files()).containsOnlyKeys("/etc/containerd/config.toml");
        assertThat(NodeFixture.crio("1.31.1").configPath()).isEqualTo("/etc/crio/crio.conf");
    }

    @Test
    void fakeBundleWritesATreeAndAnArchiveWithTheSameEntries(@TempDir Path tmp) throws IOException {
        BundleBuilder bundle = BundleBuilder.standard();
        Path dir = bundle.writeTo(tmp.resolve("kata"));
        assertThat(dir.resolve("bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(dir.resolve("bin/containerd-shim-kata-v2")))
                .contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.readSymbolicLink(dir.resolve("share/kata-containers/vmlinux.container")))
                .isEqualTo(Path.of("vmlinux-6.12.28-153"));
        assertThat(Files.readString(dir.resolve("share/defaults/kata-containers/configuration-qemu.toml")))
                .contains("[hypervisor.qemu]");

        Path archive = bundle.writeArchive(tmp, BundleBuilder.Compression.GZIP);
        assertThat(archive.getFileName().toString()).isEqualTo("kata-static.tar.gz");
        List<String> files = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (!e.isDirectory()) {
                    files.add(e.getName().substring(2));
                }
            }
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(bundle.paths());
    }

    @Test
    void planAssertionsShowTheDiffWhenTheyFail() {
        NodeFixture node = NodeFixture.containerd("1.7.22").withConfig("version = 2\n");
        ConfigPlan plan = new SampleConfigurator().plan(node.context(DeploySpec.of("qemu")));

        KdeployAssertions.assertThat(plan).isNotEmpty().writes("/etc/containerd/config.toml")
                .changesOnly("/etc/containerd/config.toml").restarts("containerd").registers("kata-qemu")
                .diffContains("+runtime_type = \"io.containerd.kata-qemu.v2\"").doesNotWrite("/etc/crio/crio.conf");
        assertThatThrownBy(() -> KdeployAssertions.assertThat(plan).as("reinstall").isEmpty())
                .hasMessageContaining("[reinstall] Expected an empty plan, but it changes [/etc/containerd/config.toml]")
                .hasMessageContaining("+++ b/etc/containerd/config.toml")
                .hasMessageContaining("+runtime_type = \"io.containerd.kata-qemu.v2\"");
        assertThatThrownBy(() -> KdeployAssertions.assertThat(plan).changesOnly("/etc/k0s/containerd.d/kata-deploy.toml"))
                .hasMessageContaining("unexpected: [/etc/containerd/config.toml], not changed: [/etc/k0s/containerd.d/kata-deploy.toml]")
                .hasMessageContaining("--- a/etc/containerd/config.toml");
        assertThatThrownBy(() -> KdeployAssertions.assertThat(plan).diffContains("kata-clh"))
                .hasMessageContaining("does not contain [kata-clh]").hasMessageContaining("+runtime_type");
        assertThatThrownBy(() -> KdeployAssertions.assertThat(plan).restartsNothing())
                .hasMessageContaining("restarts containerd");
    }

    @Test
    void brokenFileNamesTheAppendedLine() {
        assertThat(BrokenFile.appendingGarbage(Bytes.utf8("a = 1\r\nb = 2")).content().asUtf8())
                .isEqualTo("a = 1\r\nb = 2\r\n" + BrokenFile.GARBAGE + "\r\n");
        assertThat(BrokenFile.appendingGarbage(Bytes.utf8("a = 1\nb = 2\n")).line()).isEqualTo(3);
        assertThat(BrokenFile.appendingGarbage(Bytes.utf8("")).line()).isEqualTo(1);
    }
}
