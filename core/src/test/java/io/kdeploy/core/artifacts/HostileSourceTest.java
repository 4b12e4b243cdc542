package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.UnsafePathException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives and trees that try to write outside the destination: each is refused before anything is written. */
class HostileSourceTest {
    private static final DeploySpec SPEC = DeploySpec.of("qemu");

    @TempDir
    Path host;

    @TempDir
    Path work;

    private final KataArtifactInstaller installer = new KataArtifactInstaller();

    /** One tar entry: a name, a type flag, a link target (or "") and a content (or ""). */
    private record Entry(String name, byte type, String link, String content) {
        static Entry file(String name, String content) {
            return new Entry(name, TarConstants.LF_NORMAL, "", content);
        }

        static Entry symlink(String name, String target) {
            return new Entry(name, TarConstants.LF_SYMLINK, target, "");
        }

        static Entry hardlink(String name, String target) {
            return new Entry(name, TarConstants.LF_LINK, target, "");
        }
    }

    /** A tar of the valid standard bundle followed by the hostile entries. */
    private Path tar(Entry... hostile) throws IOException {
        Path valid = BundleBuilder.standard().writeArchive(Files.createDirectories(work.resolve("valid")),
                BundleBuilder.Compression.NONE);
        Path file = work.resolve("hostile.tar");
        try (OutputStream out = Files.newOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
                org.apache.commons.compress.archivers.tar.TarArchiveInputStream in =
                        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(valid))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                tar.putArchiveEntry(e);
                in.transferTo(tar);
                tar.closeArchiveEntry();
            }
            for (Entry h : hostile) {
                TarArchiveEntry te = new TarArchiveEntry(h.name(), h.type(), true);
                byte[] content = h.content().getBytes(StandardCharsets.UTF_8);
                if (!h.link().isEmpty()) {
                    te.setLinkName(h.link());
                }
                if (h.type() == TarConstants.LF_NORMAL) {
                    te.setSize(content.length);
                    te.setMode(0100644);
                }
                tar.putArchiveEntry(te);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private void assertRefused(Path source, String... messageParts) throws IOException {
        Map<String, String> before = KataArtifactInstallerTest.snapshot(host);
        assertThatThrownBy(() -> installer.apply(installer.plan(ArtifactSource.of(source), SPEC, host)))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContainingAll(messageParts)
                .hasMessageContaining("Nothing was written");
        assertThat(KataArtifactInstallerTest.snapshot(host)).isEqualTo(before);
    }

    @Test
    void dotDotInAnEntryName() throws IOException {
        assertRefused(tar(Entry.file("./bin/../../../etc/cron.d/evil", "* * * * * root id\n")),
                "'./bin/../../../etc/cron.d/evil'", "contains '..'");
    }

    @Test
    void anEntryBelowAShimConfigurationWithoutDirectoryEntries() throws IOException {
        String config = "share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml";
        assertRefused(tar(Entry.file("./" + config + "/x", "x\n")), "'" + config + "/x' lies below the file",
                "shim configuration " + config);
    }

    @Test
    void absoluteEntryName() throws IOException {
        assertRefused(tar(Entry.file("/etc/cron.d/evil", "* * * * * root id\n")), "'/etc/cron.d/evil'", "absolute path");
    }

    @Test
    void symlinkToEtc() throws IOException {
        assertRefused(tar(Entry.symlink("./bin/etc", "/etc")), "'bin/etc' -> '/etc'", "outside the destination");
    }

    @Test
    void relativeSymlinkClimbingOutOfTheTree() throws IOException {
        assertRefused(tar(Entry.symlink("./bin/up", "../../etc/shadow")), "'bin/up' -> '../../etc/shadow'",
                "climbs above the root");
    }

    @Test
    void symlinkDetouringThroughAName() throws IOException {
        assertRefused(tar(Entry.symlink("./self", "."), Entry.symlink("./bin/detour", "../self/../..")),
                "'bin/detour'", "after a name");
    }

    @Test
    void hardLinkOutOfTheTree() throws IOException {
        assertRefused(tar(Entry.hardlink("./bin/passwd", "../../etc/passwd")), "'./bin/passwd'", "hard link",
                "outside the tree");
        assertRefused(tar(Entry.hardlink("./bin/shadow", "/etc/shadow")), "'./bin/shadow'", "outside the tree");
    }

    @Test
    void hardLinkToAnEntryTheArchiveDoesNotHave() throws IOException {
        assertRefused(tar(Entry.hardlink("./bin/ghost", "etc/passwd")), "'bin/ghost'", "not a file earlier in the archive");
    }

    @Test
    void entryBelowASymlink() throws IOException {
        assertRefused(tar(Entry.symlink("./lib", "bin"), Entry.file("./lib/evil", "x")), "'lib/evil'",
                "under the symlink 'lib'");
    }

    @Test
    void duplicateEntry() throws IOException {
        assertRefused(tar(Entry.symlink("./versions.yaml", "bin/containerd-shim-kata-v2")), "'versions.yaml'",
                "appears twice");
    }

    @Test
    void deviceEntry() throws IOException {
        assertRefused(tar(new Entry("./dev/sda", TarConstants.LF_BLK, "", "")), "'./dev/sda'", "device");
    }

    @Test
    void symlinkToEtcInASourceDirectory() throws IOException {
        Path src = BundleBuilder.standard().symlink("bin/etc", "/etc").writeTo(work.resolve("src"));
        assertRefused(src, "'bin/etc' -> '/etc'");
    }

    /** The manifest is read on a second thread while a directory source is walked; its error still comes first. */
    @Test
    void aMalformedManifestIsReportedBeforeAHostileSourceDirectory() throws IOException {
        Path manifest = host.resolve("opt/kata/" + Manifest.FILE_NAME);
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, "{\"version\": 1, \"dest\": ");
        Path src = BundleBuilder.standard().symlink("bin/etc", "/etc").writeTo(work.resolve("src"));
        Map<String, String> before = KataArtifactInstallerTest.snapshot(host);

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(MalformedConfigException.class).hasMessageContaining(Manifest.FILE_NAME);
        assertThat(KataArtifactInstallerTest.snapshot(host)).isEqualTo(before);
        Files.delete(manifest);
        assertRefused(src, "'bin/etc' -> '/etc'");
    }

    @Test
    void aHostileUpgradeLeavesTheInstalledTreeUntouched() throws IOException {
        installer.apply(installer.plan(ArtifactSource.of(BundleBuilder.standard().writeTo(work.resolve("v1"))), SPEC,
                host));

        assertRefused(tar(Entry.file("./bin/../../evil", "x")), "contains '..'");
        assertThat(host.resolve("opt/kata/bin/containerd-shim-kata-v2")).isRegularFile();
    }

    @Test
    void validHardLinksInsideTheTreeAreCopies() throws IOException {
        Path source = tar(Entry.hardlink("./bin/kata-runtime-link", "./bin/kata-runtime"));

        ArtifactResult r = installer.apply(installer.plan(ArtifactSource.of(source), SPEC, host));

        Path kata = host.resolve("opt/kata");
        assertThat(kata.resolve("bin/kata-runtime-link")).hasSameTextualContentAs(kata.resolve("bin/kata-runtime"));
        assertThat(SourceReader.mode(kata.resolve("bin/kata-runtime-link"))).isEqualTo(0755);
        assertThat(r.filesWritten()).isEqualTo(BundleBuilder.standard().paths().size() + 1 + 1);
        assertThat(installer.apply(installer.plan(ArtifactSource.of(source), SPEC, host)).artifactFilesWritten()).isZero();
        assertThat(List.of(installer.uninstall(SPEC, host).clean())).containsExactly(true);
    }
}
