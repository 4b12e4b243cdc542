package io.kdeploy.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.UnsafePathException;
import io.kdeploy.core.spi.Installer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KataArtifactInstallerTest {
    private static final DeploySpec SPEC = DeploySpec.of("qemu", "qemu-runtime-rs");
    private static final String QEMU_CONFIG = "share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml";
    private static final String RS_CONFIG =
            "share/defaults/kata-containers/runtime-rs/runtimes/qemu-runtime-rs/configuration-qemu-runtime-rs.toml";

    @TempDir
    Path host;

    @TempDir
    Path work;

    private final Installer installer = new KataArtifactInstaller();

    private ArtifactResult install(Path source, DeploySpec spec) {
        return installer.apply(installer.plan(ArtifactSource.of(source), spec, host));
    }

    private Path kata() {
        return host.resolve("opt/kata");
    }

    @Test
    void serviceLoaderFindsTheBuiltInInstaller() {
        assertThat(ServiceLoader.load(Installer.class).stream().map(p -> p.get().id())).containsExactly("kata");
    }

    @Test
    void freshInstallCopiesTheTreeWithModesLinksShimConfigsAndManifest() throws IOException {
        BundleBuilder bundle = BundleBuilder.standard();
        Path src = bundle.writeTo(work.resolve("src"));

        ArtifactResult r = install(src, SPEC);

        KataLayout layout = new KataLayout(SPEC);
        for (String shim : SPEC.shims()) {
            assertThat(host.resolve(layout.shimBinary(shim).substring(1))).isExecutable();
            assertThat(host.resolve(layout.configPath(shim).substring(1))).isRegularFile();
        }
        assertThat(Files.readString(kata().resolve("bin/containerd-shim-kata-v2")))
                .isEqualTo("#!/bin/sh\necho go shim v3.20.0\n");
        assertThat(SourceReader.mode(kata().resolve("bin/containerd-shim-kata-v2"))).isEqualTo(0755);
        assertThat(SourceReader.mode(kata().resolve("versions.yaml"))).isEqualTo(0644);
        assertThat(Files.getLastModifiedTime(kata().resolve("versions.yaml")).toInstant()).isEqualTo(BundleBuilder.MTIME);
        assertThat(Files.readSymbolicLink(kata().resolve("share/kata-containers/vmlinux.container")))
                .hasToString("vmlinux-6.12.28-153");
        assertThat(Files.readSymbolicLink(kata().resolve("share/kata-containers/kata-containers.img")))
                .as("an absolute link under /opt/kata is made relative").hasToString("kata-ubuntu-noble.image");
        assertThat(Files.readString(kata().resolve(QEMU_CONFIG)))
                .isEqualTo(ShimConfig.BANNER + BundleBuilder.QEMU_CONFIG);
        assertThat(Files.readString(kata().resolve(RS_CONFIG))).endsWith(BundleBuilder.QEMU_RS_CONFIG);
        assertThat(kata().resolve("share/defaults/kata-containers/runtimes/qemu/config.d")).doesNotExist();

        Manifest m = readManifest(kata());
        assertThat(m.dest()).isEqualTo("/opt/kata");
        assertThat(m.byPath().keySet()).containsAll(bundle.paths()).contains(QEMU_CONFIG, RS_CONFIG);
        ManifestEntry shim = m.byPath().get("bin/containerd-shim-kata-v2");
        assertThat(shim.sha256()).isEqualTo(AtomicFiles.sha256(kata().resolve("bin/containerd-shim-kata-v2")));
        assertThat(shim.mode()).isEqualTo(0755);
        assertThat(shim.mtime()).isEqualTo(BundleBuilder.MTIME.toString());
        assertThat(m.byPath().get("share/kata-containers/vmlinux.container").link()).isEqualTo("vmlinux-6.12.28-153");
        assertThat(r.artifactFilesWritten()).isEqualTo(bundle.paths().size() + 2);
        assertThat(r.manifestWritten()).isTrue();
        assertThat(listTemps(host)).isEmpty();
    }

    @Test
    void reinstallWithTheSameInputsWritesNothing() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC);
        Map<String, String> before = snapshot(host);

        ArtifactPlan plan = installer.plan(ArtifactSource.of(src), SPEC, host);
        ArtifactResult r = installer.apply(plan);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.actions()).allSatisfy(a -> assertThat(a.reason()).startsWith("unchanged"));
        assertThat(plan.actions()).filteredOn(a -> a.path().startsWith("bin/"))
                .allSatisfy(a -> assertThat(a.reason()).isEqualTo("unchanged (size and mtime)"));
        assertThat(r.artifactFilesWritten()).isZero();
        assertThat(r.manifestWritten()).isFalse();
        assertThat(snapshot(host)).as("mtimes and inodes").isEqualTo(before);
    }

    @Test
    void verifyHashesEverythingAndStillWritesNothingWhenEqual() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC);
        Map<String, String> before = snapshot(host);

        ArtifactPlan plan = installer.plan(ArtifactSource.of(src), SPEC, host, InstallOptions.VERIFY);

        assertThat(plan.actions()).filteredOn(a -> a.path().startsWith("bin/"))
                .allSatisfy(a -> assertThat(a.reason()).isEqualTo("unchanged (hashed)"));
        assertThat(installer.apply(plan).artifactFilesWritten()).isZero();
        assertThat(snapshot(host)).isEqualTo(before);
    }

    @Test
    void verifyFindsAFileChangedBehindTheFastPathsBack() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC);
        Path shim = kata().resolve("bin/containerd-shim-kata-v2");
        FileTime t = Files.getLastModifiedTime(shim);
        Files.writeString(shim, "#!/bin/sh\necho ba shim v3.20.0\n");
        Files.setLastModifiedTime(shim, t);

        assertThat(installer.plan(ArtifactSource.of(src), SPEC, host).changes()).isEmpty();
        ArtifactResult r = installer.apply(installer.plan(ArtifactSource.of(src), SPEC, host, InstallOptions.VERIFY));

        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(Files.readString(shim)).isEqualTo("#!/bin/sh\necho go shim v3.20.0\n");
    }

    @Test
    void upgradeWritesChangedAndAddedFilesAndRemovesDroppedOnes() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("v1")), SPEC);
        Path shim = kata().resolve("bin/containerd-shim-kata-v2");
        Object inodeBefore = Files.getAttribute(kata().resolve("versions.yaml"), "unix:ino");
        Object shimInode = Files.getAttribute(shim, "unix:ino");
        Instant later = BundleBuilder.MTIME.plusSeconds(86_400);
        BundleBuilder v2 = BundleBuilder.standard()
                .file("bin/containerd-shim-kata-v2", "#!/bin/sh\necho go shim v3.21.0\n".getBytes(StandardCharsets.UTF_8),
                        0755, later)
                .file("bin/kata-monitor", "#!/bin/sh\necho monitor\n".getBytes(StandardCharsets.UTF_8), 0755, later)
                .without("bin/kata-runtime");

        ArtifactPlan plan = installer.plan(ArtifactSource.of(v2.writeTo(work.resolve("v2"))), SPEC, host);
        ArtifactResult r = installer.apply(plan);

        assertThat(plan.changes()).extracting(ArtifactAction::toString).containsExactly(
                "WRITE bin/containerd-shim-kata-v2 (content changed)", "WRITE bin/kata-monitor (new)",
                "REMOVE bin/kata-runtime (no longer shipped)");
        assertThat(r.filesWritten()).isEqualTo(2);
        assertThat(r.filesRemoved()).isEqualTo(1);
        assertThat(r.artifactFilesWritten()).isEqualTo(3);
        assertThat(Files.readString(shim)).contains("v3.21.0");
        assertThat(Files.getAttribute(shim, "unix:ino")).as("a new inode: a running shim keeps the old one")
                .isNotEqualTo(shimInode);
        assertThat(kata().resolve("bin/kata-runtime")).doesNotExist();
        assertThat(Files.getAttribute(kata().resolve("versions.yaml"), "unix:ino")).isEqualTo(inodeBefore);
        assertThat(readManifest(kata()).byPath()).containsKey("bin/kata-monitor").doesNotContainKey("bin/kata-runtime");
    }

    @Test
    void upgradeReplacesOurSymlinkByADirectory() throws IOException {
        install(BundleBuilder.standard().symlink("lib", "bin").writeTo(work.resolve("v1")), SPEC);

        ArtifactResult r = install(BundleBuilder.standard().file("lib/libkata.so", "elf\n", 0644)
                .writeTo(work.resolve("v2")), SPEC);

        assertThat(r.filesRemoved()).isEqualTo(1);
        assertThat(kata().resolve("lib")).isDirectory();
        assertThat(kata().resolve("lib/libkata.so")).hasContent("elf");
        assertThat(kata().resolve("bin/libkata.so")).doesNotExist();
    }

    @Test
    void upgradeKeepsADroppedFileSomeoneChanged() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("v1")), SPEC);
        Files.writeString(kata().resolve("bin/kata-runtime"), "#!/bin/sh\necho patched by the admin\n");

        ArtifactResult r = install(BundleBuilder.standard().without("bin/kata-runtime").writeTo(work.resolve("v2")), SPEC);

        assertThat(r.kept()).containsExactly("bin/kata-runtime");
        assertThat(r.filesRemoved()).isZero();
        assertThat(kata().resolve("bin/kata-runtime")).hasContent("#!/bin/sh\necho patched by the admin");
        assertThat(readManifest(kata()).byPath()).doesNotContainKey("bin/kata-runtime");
    }

    @Test
    void uninstallRemovesOnlyOurFilesAndReportsForeignAndModifiedOnes() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("src")), SPEC);
        Files.writeString(kata().resolve("bin/admin-tool"), "mine\n");
        Files.writeString(kata().resolve("versions.yaml"), "kata: patched\n");

        UninstallReport r = installer.uninstall(SPEC, host);

        assertThat(r.manifestFound()).isTrue();
        assertThat(r.keptForeign()).containsExactly("bin/admin-tool");
        assertThat(r.keptModified()).containsExactly("versions.yaml");
        assertThat(r.clean()).isFalse();
        assertThat(kata().resolve("bin/admin-tool")).hasContent("mine");
        assertThat(kata().resolve("versions.yaml")).hasContent("kata: patched");
        assertThat(kata().resolve("bin/containerd-shim-kata-v2")).doesNotExist();
        assertThat(kata().resolve("share")).as("emptied directories go").doesNotExist();
        assertThat(kata().resolve("runtime-rs")).doesNotExist();
        assertThat(kata().resolve(Manifest.FILE_NAME)).doesNotExist();
        assertThat(listAll(kata())).containsExactlyInAnyOrder("bin", "bin/admin-tool", "versions.yaml");
    }

    @Test
    void uninstallDoesNotFollowADirectoryReplacedByASymlink() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("src")), SPEC);
        Path outside = work.resolve("outside-bin");
        Files.move(kata().resolve("bin"), outside);
        Files.createSymbolicLink(kata().resolve("bin"), outside);
        List<String> outsideBefore = listAll(outside);

        UninstallReport r = installer.uninstall(SPEC, host);

        assertThat(listAll(outside)).as("files the link leads to, out of the host root").isEqualTo(outsideBefore)
                .contains("containerd-shim-kata-v2");
        assertThat(r.keptModified()).isEmpty();
        assertThat(r.keptForeign()).as("the link is reported, not what it leads to").containsExactly("bin");
        assertThat(Files.isSymbolicLink(kata().resolve("bin"))).isTrue();
        assertThat(kata().resolve("versions.yaml")).as("the rest is removed as usual").doesNotExist();
    }

    @Test
    void anUpgradeDoesNotRemoveDroppedFilesThroughADirectoryReplacedByASymlink() throws IOException {
        install(BundleBuilder.standard().file("old/tool", "tool\n", 0755).writeTo(work.resolve("v1")), SPEC);
        Path outside = work.resolve("outside-old");
        Files.move(kata().resolve("old"), outside);
        Files.createSymbolicLink(kata().resolve("old"), outside);

        ArtifactPlan plan = installer.plan(ArtifactSource.of(BundleBuilder.standard().writeTo(work.resolve("v2"))), SPEC,
                host);
        ArtifactResult r = installer.apply(plan);

        assertThat(plan.actions()).extracting(ArtifactAction::path).doesNotContain("old/tool");
        assertThat(r.filesRemoved()).isZero();
        assertThat(outside.resolve("tool")).hasContent("tool");
        assertThat(readManifest(kata()).byPath()).doesNotContainKey("old/tool");
    }

    @Test
    void aShippedSymlinkWhereTheShimConfigurationsGoIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path src = BundleBuilder.standard().symlink("share/defaults/kata-containers/runtimes", "../../../bin")
                .writeTo(work.resolve("src"));

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("entry 'share/defaults/kata-containers/runtimes' is a symlink where kdeploy writes the"
                        + " shim configuration " + QEMU_CONFIG);
        assertThat(host.resolve("opt")).doesNotExist();
    }

    @Test
    void aShippedFileWhereTheShimConfigurationsGoIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path src = BundleBuilder.standard().file("share/defaults/kata-containers/runtimes", "not a directory\n", 0644)
                .writeTo(work.resolve("src"));

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("entry 'share/defaults/kata-containers/runtimes' is a file where kdeploy writes");
        assertThat(host.resolve("opt")).doesNotExist();
    }

    @Test
    void aShippedDirectoryWhereAShimConfigurationGoesIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path src = BundleBuilder.standard().file(QEMU_CONFIG + "/x", "x\n", 0644).writeTo(work.resolve("src"));

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("entry '" + QEMU_CONFIG + "' is a directory where kdeploy writes the shim"
                        + " configuration " + QEMU_CONFIG);
        assertThat(host.resolve("opt")).doesNotExist();
    }

    @Test
    void aChangedModeIsRepairedWithoutRewritingTheFile() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC);
        Path shim = kata().resolve("bin/containerd-shim-kata-v2");
        Object inode = Files.getAttribute(shim, "unix:ino");
        Files.setPosixFilePermissions(shim, SourceReader.perms(0644));

        ArtifactPlan plan = installer.plan(ArtifactSource.of(src), SPEC, host);
        ArtifactResult r = installer.apply(plan);

        assertThat(plan.changes()).extracting(ArtifactAction::toString)
                .containsExactly("METADATA bin/containerd-shim-kata-v2 (mode changed)");
        assertThat(r.filesWritten()).isZero();
        assertThat(SourceReader.mode(shim)).isEqualTo(0755);
        assertThat(Files.getAttribute(shim, "unix:ino")).isEqualTo(inode);
    }

    @Test
    void anUpgradeInterruptedWhileItsFilesGoIntoPlaceIsUninstalledExactly() throws IOException {
        Files.createDirectories(host.resolve("opt"));
        install(BundleBuilder.standard().writeTo(work.resolve("v1")), SPEC);
        Path base = kata().resolve("share/defaults/kata-containers/configuration-qemu.toml");
        Instant later = BundleBuilder.MTIME.plusSeconds(86_400);
        BundleBuilder v2 = BundleBuilder.standard()
                .file("bin/containerd-shim-kata-v2", "#!/bin/sh\necho go shim v3.21.0\n".getBytes(StandardCharsets.UTF_8),
                        0755, later)
                .file("bin/kata-monitor", "#!/bin/sh\necho monitor\n".getBytes(StandardCharsets.UTF_8), 0755, later)
                .file("share/defaults/kata-containers/configuration-qemu.toml",
                        (Files.readString(base) + "\n# 3.21\n").getBytes(StandardCharsets.UTF_8), 0644, later)
                .symlink("zz-kata", "bin/containerd-shim-kata-v2");
        ArtifactPlan plan = installer.plan(ArtifactSource.of(v2.writeTo(work.resolve("v2"))), SPEC, host);

        assertThatThrownBy(() -> installer.apply(plan, interruptAt(QEMU_CONFIG))).hasMessage("interrupted");
        assertThat(kata().resolve("bin/containerd-shim-kata-v2")).as("the new shim is in place").content().contains("v3.21.0");
        assertThat(kata().resolve("zz-kata")).as("written after the configuration: not yet").doesNotExist();
        assertUninstalledExactly();
    }

    @Test
    void theNextInstallFinishesAnInterruptedUpgradeAndDropsThePreviousManifest() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("v1")), SPEC);
        Instant later = BundleBuilder.MTIME.plusSeconds(86_400);
        Path v2 = BundleBuilder.standard()
                .file("bin/containerd-shim-kata-v2", "#!/bin/sh\necho go shim v3.21.0\n".getBytes(StandardCharsets.UTF_8),
                        0755, later)
                .symlink("bin/kata", "containerd-shim-kata-v2")
                .writeTo(work.resolve("v2"));
        ArtifactPlan plan = installer.plan(ArtifactSource.of(v2), SPEC, host);
        assertThatThrownBy(() -> installer.apply(plan, interruptAt("bin/kata"))).hasMessage("interrupted");

        install(v2, SPEC);
        Path fresh = Files.createDirectories(work.resolve("fresh"));
        installer.apply(installer.plan(ArtifactSource.of(v2), SPEC, fresh));

        assertThat(kata().resolve(Manifest.PREVIOUS_FILE_NAME)).doesNotExist();
        assertThat(contents(kata())).isEqualTo(contents(fresh.resolve("opt/kata")));
        assertThat(installer.plan(ArtifactSource.of(v2), SPEC, host).changes()).isEmpty();
    }

    @Test
    void twoUpgradesInterruptedWhilePublishingAreStillUninstalledExactly() throws IOException {
        Files.createDirectories(host.resolve("opt"));
        install(BundleBuilder.standard().writeTo(work.resolve("v1")), SPEC);
        for (String v : List.of("v2", "v3")) {
            Instant t = BundleBuilder.MTIME.plusSeconds(v.equals("v2") ? 86_400 : 172_800);
            Path src = BundleBuilder.standard()
                    .file("bin/containerd-shim-kata-v2", ("#!/bin/sh\necho " + v + "\n").getBytes(StandardCharsets.UTF_8),
                            0755, t)
                    .file("bin/only-" + v, "x\n".getBytes(StandardCharsets.UTF_8), 0755, t)
                    .file("versions.yaml", ("kata: " + v + "\n").getBytes(StandardCharsets.UTF_8), 0644, t)
                    .writeTo(work.resolve(v));
            ArtifactPlan plan = installer.plan(ArtifactSource.of(src), SPEC, host);

            applyInterruptedAtPublishOf(plan, "versions.yaml");
        }
        assertThat(Files.readString(kata().resolve("versions.yaml"))).as("still the first install's")
                .doesNotContain("v2", "v3");

        assertUninstalledExactly();
    }

    @Test
    void theNextInstallRemovesADroppedFileAnInterruptedUpgradeLeftAtTheEarlierVersion() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("v1")), SPEC);
        Path v2 = BundleBuilder.standard().file("versions.yaml", "kata: v2\n".getBytes(StandardCharsets.UTF_8), 0644,
                BundleBuilder.MTIME.plusSeconds(86_400)).writeTo(work.resolve("v2"));
        ArtifactPlan plan = installer.plan(ArtifactSource.of(v2), SPEC, host);
        applyInterruptedAtPublishOf(plan, "versions.yaml");

        ArtifactResult r = install(BundleBuilder.standard().without("versions.yaml").writeTo(work.resolve("v3")), SPEC);

        assertThat(r.kept()).isEmpty();
        assertThat(kata().resolve("versions.yaml")).doesNotExist();
        assertThat(kata().resolve(Manifest.PREVIOUS_FILE_NAME)).doesNotExist();
    }

    @Test
    void directoriesAnInterruptedInstallMadeGoWhenTheNextInstallNoLongerNeedsThem() throws IOException {
        Files.createDirectories(host.resolve("opt"));
        Path v1 = BundleBuilder.standard().writeTo(work.resolve("v1"));
        install(v1, SPEC);
        Path v2 = BundleBuilder.standard().file("extra/deep/f", "f\n", 0644).file("versions.yaml",
                "kata: v2\n".getBytes(StandardCharsets.UTF_8), 0644, BundleBuilder.MTIME.plusSeconds(60))
                .writeTo(work.resolve("v2"));
        ArtifactPlan plan = installer.plan(ArtifactSource.of(v2), SPEC, host);
        applyInterruptedAtPublishOf(plan, "versions.yaml");

        install(v1, SPEC);
        assertThat(kata().resolve("extra")).doesNotExist();
        installer.uninstall(SPEC, host);

        assertThat(listAll(host)).containsExactly("opt");
    }

    @Test
    void aRecordedFileThatIsNowTheNewTreesDirectoryIsNoChangeBySomeone() throws IOException {
        install(BundleBuilder.standard().file("lib/x", "a file\n", 0644).writeTo(work.resolve("v1")), SPEC);
        Path v2 = BundleBuilder.standard().file("lib/x/c", "c\n", 0644).file("versions.yaml",
                "kata: v2\n".getBytes(StandardCharsets.UTF_8), 0644, BundleBuilder.MTIME.plusSeconds(60))
                .writeTo(work.resolve("v2"));
        ArtifactPlan plan = installer.plan(ArtifactSource.of(v2), SPEC, host);
        applyInterruptedAtPublishOf(plan, "versions.yaml");

        ArtifactResult r = install(v2, SPEC);

        assertThat(r.kept()).isEmpty();
        assertThat(kata().resolve("lib/x/c")).hasContent("c");
        assertThat(installer.uninstall(SPEC, host).keptModified()).isEmpty();
    }

    /** An uninstall that keeps nothing and leaves the host root as it was before the first install ({@code opt} only). */
    private void assertUninstalledExactly() throws IOException {
        UninstallReport r = installer.uninstall(SPEC, host);

        assertThat(r.keptModified()).isEmpty();
        assertThat(r.keptForeign()).isEmpty();
        assertThat(kata()).doesNotExist();
        assertThat(listAll(host)).containsExactly("opt");
    }

    /** Interrupts an install when it reports {@code path} done (an exception with the message "interrupted"). */
    private static ProgressListener interruptAt(String path) {
        return p -> {
            if (p.path().equals(path)) {
                throw new IllegalStateException("interrupted");
            }
        };
    }

    /** Applies {@code plan}, interrupted while it renames {@code path} into place (see {@link #failPublishOf}). */
    private void applyInterruptedAtPublishOf(ArtifactPlan plan, String path) {
        assertThatThrownBy(() -> installer.apply(plan, failPublishOf(path)))
                .isInstanceOf(io.kdeploy.core.KdeployException.class);
    }

    /**
     * Interrupts an install while it renames its files into place, after its manifest was written: when the install reports
     * {@code path} staged, its temp file is replaced by an empty directory, which can be flushed (by {@code syncfs} or by
     * an fsync of its own) but not renamed over the file.
     */
    private ProgressListener failPublishOf(String path) {
        return p -> {
            if (!p.path().equals(path)) {
                return;
            }
            Path file = kata().resolve(path);
            try (Stream<Path> s = Files.list(file.getParent())) {
                for (Path temp : s.filter(t -> t.getFileName().toString().startsWith("." + file.getFileName() + ".kdeploy-"))
                        .toList()) {
                    Files.delete(temp);
                    Files.createDirectory(temp);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    @Test
    void uninstallOfAnUntouchedInstallLeavesNothing() throws IOException {
        Files.createDirectories(host.resolve("opt/other"));
        install(BundleBuilder.standard().writeTo(work.resolve("src")), SPEC);

        UninstallReport r = installer.uninstall(SPEC, host);

        assertThat(r.clean()).isTrue();
        assertThat(r.filesRemoved()).isEqualTo(BundleBuilder.standard().paths().size() + 2 + 1);
        assertThat(kata()).doesNotExist();
        assertThat(host.resolve("opt/other")).isDirectory();
        assertThat(installer.uninstall(SPEC, host).manifestFound()).isFalse();
    }

    @Test
    void twoSuffixesLiveSideBySide() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        DeploySpec dev = SPEC.withSuffix("dev");
        install(src, SPEC);
        install(src, dev);
        Map<String, String> defaultInstall = snapshot(kata());

        assertThat(host.resolve("opt/kata-dev/bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(readManifest(host.resolve("opt/kata-dev")).dest()).isEqualTo("/opt/kata-dev");
        assertThat(host.resolve("opt/kata-dev/share/defaults/kata-containers/runtimes/qemu/config.d/"
                + "10-installation-prefix.toml")).content().contains("\"/opt/kata-dev/bin/qemu-system-x86_64\"");

        assertThat(installer.uninstall(dev, host).clean()).isTrue();
        assertThat(host.resolve("opt/kata-dev")).doesNotExist();
        assertThat(snapshot(kata())).isEqualTo(defaultInstall);
    }

    @Test
    void installationPrefixMovesTheDestination() throws IOException {
        DeploySpec spec = new DeploySpec(List.of("qemu"), "qemu", "", "/usr/local", false, Map.of(), Map.of(),
                java.util.Set.of(), io.kdeploy.core.PerShim.NONE, io.kdeploy.core.PerShim.NONE, io.kdeploy.core.PerShim.NONE,
                "kata-deploy", "");

        install(BundleBuilder.standard().writeTo(work.resolve("src")), spec);

        assertThat(host.resolve("usr/local/opt/kata/bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(kata()).doesNotExist();
        assertThat(readManifest(host.resolve("usr/local/opt/kata")).dest()).isEqualTo("/usr/local/opt/kata");
    }

    @Test
    void staleDropInsOfAnEarlierInstallAreRemoved() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC.withDebug(true));
        Path variant = kata().resolve("share/defaults/kata-containers/custom-runtimes/kata-qemu-debug");
        Path debug = variant.resolve("config.d/20-debug.toml");
        assertThat(debug).isRegularFile();
        assertThat(variant.resolve("configuration-qemu.toml")).isRegularFile();
        assertThat(kata().resolve("share/defaults/kata-containers/runtimes/qemu/config.d/20-debug.toml"))
                .as("the shim's own handler has no guest debug").doesNotExist();

        ArtifactResult r = install(src, SPEC.withDebug(false));

        assertThat(debug).doesNotExist();
        assertThat(variant).as("the variant's directory goes with its files").doesNotExist();
        assertThat(r.filesRemoved()).as("two shims, each variant: its configuration copy, 20-debug, 30-kernel-params").isEqualTo(6);
        assertThat(kata().resolve("share/defaults/kata-containers/runtimes/qemu")).isDirectory();
    }

    @Test
    void customRuntimesGetIsolatedConfigurationsThatGoWhenDropped() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        io.kdeploy.core.CustomRuntime small = new io.kdeploy.core.CustomRuntime("kata-qemu-small", "qemu", "", "",
                "[hypervisor.qemu]\ndefault_memory = 512\n");
        DeploySpec custom = SPEC.withExtras(io.kdeploy.core.KataExtras.NONE.withCustomRuntimes(List.of(small)));
        install(src, custom);
        Path dir = kata().resolve("share/defaults/kata-containers/custom-runtimes/kata-qemu-small");
        assertThat(dir.resolve("configuration-qemu.toml")).hasContent(ShimConfig.BANNER + Files.readString(
                src.resolve("share/defaults/kata-containers/configuration-qemu.toml")));
        assertThat(dir.resolve("config.d/50-overrides.toml")).hasContent("[hypervisor.qemu]\ndefault_memory = 512\n");
        assertThat(new io.kdeploy.core.KataLayout(custom).customConfigPath(small))
                .isEqualTo("/opt/kata/" + kata().relativize(dir.resolve("configuration-qemu.toml")).toString());

        install(src, SPEC);

        assertThat(dir).doesNotExist();
        assertThat(kata().resolve("share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml")).isRegularFile();
    }

    @ParameterizedTest
    @EnumSource(BundleBuilder.Compression.class)
    void archivesInstallLikeADirectory(BundleBuilder.Compression compression) throws IOException {
        BundleBuilder bundle = BundleBuilder.standard();
        Path archive = bundle.writeArchive(work, compression);
        Path other = Files.createDirectories(work.resolve("dir-host"));
        installer.apply(installer.plan(ArtifactSource.of(bundle.writeTo(work.resolve("src"))), SPEC, other));

        ArtifactResult r = install(archive, SPEC);

        assertThat(r.artifactFilesWritten()).isEqualTo(bundle.paths().size() + 2);
        assertThat(contents(kata())).isEqualTo(contents(other.resolve("opt/kata")));
        assertThat(readManifest(kata())).isEqualTo(readManifest(other.resolve("opt/kata")));
        Map<String, String> before = snapshot(host);
        assertThat(install(archive, SPEC).artifactFilesWritten()).isZero();
        assertThat(snapshot(host)).isEqualTo(before);
    }

    @Test
    void aShimWithoutBaseConfigurationIsRefusedBeforeAnythingIsWritten() {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), DeploySpec.of("qemu", "clh"), host))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("clh (share/defaults/kata-containers/configuration-clh.toml)");
        assertThat(host).isEmptyDirectory();
    }

    @Test
    void aShimWithoutItsBinaryIsRefusedBeforeAnythingIsWritten() {
        Path src = BundleBuilder.standard().without("runtime-rs/bin/containerd-shim-kata-v2").writeTo(work.resolve("src"));

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("qemu-runtime-rs (runtime-rs/bin/containerd-shim-kata-v2)");
        assertThat(host).isEmptyDirectory();
    }

    @Test
    void thePlanNamesTheNodePathsTheConfigurersRegister() {
        ArtifactPlan plan = installer.plan(ArtifactSource.of(BundleBuilder.standard().writeTo(work.resolve("src"))),
                SPEC.withSuffix("dev"), host);

        assertThat(plan.nodeDest()).isEqualTo("/opt/kata-dev");
        assertThat(plan.layout().shimBinary("qemu")).isEqualTo("/opt/kata-dev/bin/containerd-shim-kata-v2");
        assertThat(plan.layout().configPath("qemu-runtime-rs")).isEqualTo("/opt/kata-dev/" + RS_CONFIG);
        assertThat(plan.actions()).extracting(ArtifactAction::path).contains(RS_CONFIG,
                "runtime-rs/bin/containerd-shim-kata-v2");
    }

    @Test
    void aLargeTreeIsComparedWithTheDestinationLookedUpOnASecondThread() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        for (int i = 0; i < DestinationStats.WORTH_A_THREAD + 44; i++) {
            Path f = src.resolve("share/many/d" + (i % 7) + "/f" + i);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "file " + i);
        }
        install(src, SPEC);
        Files.writeString(kata().resolve("share/many/d3/f10"), "changed by someone, longer");
        Files.delete(kata().resolve("share/many/d4/f11"));
        Map<String, String> before = snapshot(kata());

        ArtifactResult repaired = install(src, SPEC);
        ArtifactResult again = install(src, SPEC);

        assertThat(repaired.filesWritten()).isEqualTo(2);
        assertThat(Files.readString(kata().resolve("share/many/d3/f10"))).isEqualTo("file 10");
        assertThat(Files.readString(kata().resolve("share/many/d4/f11"))).isEqualTo("file 11");
        assertThat(again.filesWritten()).isZero();
        Map<String, String> after = snapshot(kata());
        after.keySet().removeIf(p -> p.equals("share/many/d3/f10") || p.equals("share/many/d4/f11")
                || p.equals("share/many/d3") || p.equals("share/many/d4") || p.equals(Manifest.FILE_NAME) || p.isEmpty());
        before.keySet().removeIf(p -> p.equals("share/many/d3/f10") || p.equals("share/many/d3") || p.equals("share/many/d4")
                || p.equals(Manifest.FILE_NAME) || p.isEmpty());
        assertThat(after).as("every other file keeps its inode and mtime").isEqualTo(before);
    }

    @Test
    void theNextInstallRemovesTempFilesAnInterruptedInstallLeft() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC);
        Files.writeString(kata().resolve("bin/.kata-runtime.kdeploy-1f3a.tmp"), "half written");

        ArtifactResult r = install(src, SPEC);

        assertThat(r.filesRemoved()).isEqualTo(1);
        assertThat(r.filesWritten()).isZero();
        assertThat(listTemps(host)).isEmpty();
    }

    @Test
    void tempFilesAreFoundInEveryDirectoryButNotThroughALinkNorAmongForeignNames() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC);
        Files.writeString(kata().resolve(".kata-runtime.kdeploy-2b.tmp"), "in the destination root");
        Files.createDirectories(kata().resolve("old-layout/deeper"));
        Files.writeString(kata().resolve("old-layout/deeper/.qemu.kdeploy-3c.tmp"), "in a directory the plan never knew");
        Path generated = kata().resolve(ShimConfig.basePath(new io.kdeploy.core.KataLayout(SPEC), "qemu")).getParent()
                .resolve("runtimes/qemu/config.d");
        Files.createDirectories(generated);
        Files.writeString(generated.resolve(".10-x.toml.kdeploy-4d.tmp"), "in a generated directory");
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.writeString(outside.resolve(".x.kdeploy-5e.tmp"), "must not be touched");
        Files.createSymbolicLink(kata().resolve("linked"), outside);
        Files.writeString(kata().resolve("notes.kdeploy-6f.tmp"), "foreign: no leading dot");

        ArtifactResult r = install(src, SPEC);

        assertThat(r.filesRemoved()).isEqualTo(3);
        assertThat(kata().resolve(".kata-runtime.kdeploy-2b.tmp")).doesNotExist();
        assertThat(kata().resolve("old-layout/deeper/.qemu.kdeploy-3c.tmp")).doesNotExist();
        assertThat(generated.resolve(".10-x.toml.kdeploy-4d.tmp")).doesNotExist();
        assertThat(outside.resolve(".x.kdeploy-5e.tmp")).exists();
        assertThat(kata().resolve("notes.kdeploy-6f.tmp")).exists();
    }

    @Test
    void uninstallRemovesTempFilesAnInterruptedInstallLeft() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("src")), SPEC);
        Files.writeString(kata().resolve("bin/.kata-runtime.kdeploy-1f3a.tmp"), "half written");

        UninstallReport r = installer.uninstall(SPEC, host);

        assertThat(r.clean()).isTrue();
        assertThat(kata()).doesNotExist();
    }

    @Test
    void progressReportsFilesAndBytes() {
        BundleBuilder bundle = BundleBuilder.standard();
        ArtifactPlan plan = installer.plan(ArtifactSource.of(bundle.writeTo(work.resolve("src"))), SPEC, host);
        List<ProgressListener.Progress> seen = new ArrayList<>();

        installer.apply(plan, seen::add);

        assertThat(seen.get(0)).as("the first report, as the writing begins")
                .isEqualTo(new ProgressListener.Progress(0, plan.filesToWrite(), 0, plan.bytesToWrite(), ""));
        ProgressListener.Progress last = seen.get(seen.size() - 1);
        assertThat(last.filesDone()).isEqualTo(last.filesTotal()).isEqualTo(plan.filesToWrite());
        assertThat(last.bytesDone()).isEqualTo(last.bytesTotal()).isEqualTo(plan.bytesToWrite()).isPositive();
    }

    @Test
    void aDestinationSymlinkedOutOfTheHostRootIsRefused() throws IOException {
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.createDirectories(host.resolve("opt"));
        Files.createSymbolicLink(host.resolve("opt/kata"), host.resolve("opt").relativize(outside));
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        Map<String, String> before = snapshot(host);

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("/opt/kata")
                .hasMessageContaining("leads out of the host root");
        assertThat(outside).isEmptyDirectory();
        assertThat(snapshot(host)).isEqualTo(before);
    }

    @Test
    void anAbsoluteDestinationSymlinkIsFollowedInsideTheHostRootAsTheNodeWould() throws IOException {
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.createDirectories(host.resolve("opt"));
        Files.createDirectories(host.resolve("var/opt/kata"));
        Files.createSymbolicLink(host.resolve("opt/kata"), Path.of("/var/opt/kata"));
        Files.createSymbolicLink(host.resolve("var/opt/kata/escape"), outside);

        install(BundleBuilder.standard().writeTo(work.resolve("src")), SPEC);

        assertThat(host.resolve("var/opt/kata/bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aSymlinkInsideTheDestinationBlockingADirectoryIsRefused() throws IOException {
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.createDirectories(kata());
        Files.createSymbolicLink(kata().resolve("bin"), outside);
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("/opt/kata/bin is a symlink");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aLostManifestMakesTheNextInstallCompareByContent() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        install(src, SPEC);
        Files.delete(kata().resolve(Manifest.FILE_NAME));
        Files.writeString(kata().resolve("versions.yaml"), "kata: 0.0.0\n");
        Object inode = Files.getAttribute(kata().resolve("bin/containerd-shim-kata-v2"), "unix:ino");

        ArtifactResult r = install(src, SPEC);

        assertThat(r.filesWritten()).isEqualTo(1);
        assertThat(r.manifestWritten()).isTrue();
        assertThat(kata().resolve("versions.yaml")).hasContent("kata: 3.20.0");
        assertThat(Files.getAttribute(kata().resolve("bin/containerd-shim-kata-v2"), "unix:ino")).isEqualTo(inode);
        assertThat(install(src, SPEC).artifactFilesWritten()).isZero();
    }

    @Test
    void aMalformedManifestStopsBeforeAnythingIsWritten() throws IOException {
        Path src = BundleBuilder.standard().writeTo(work.resolve("src"));
        Files.createDirectories(kata());
        Files.writeString(kata().resolve(Manifest.FILE_NAME), "{\"version\": 1, \"dest\": ");

        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(src), SPEC, host))
                .isInstanceOf(io.kdeploy.core.MalformedConfigException.class)
                .hasMessageContaining("/opt/kata/.kdeploy-manifest.json:1:");
        assertThatThrownBy(() -> installer.uninstall(SPEC, host))
                .isInstanceOf(io.kdeploy.core.MalformedConfigException.class);
        assertThat(listAll(kata())).containsExactly(Manifest.FILE_NAME);
    }

    @Test
    void aManifestNamingAPathOutsideTheDestinationStopsInstallAndUninstallBeforeAnythingChanges() throws IOException {
        install(BundleBuilder.standard().writeTo(work.resolve("src")), SPEC);
        Path victim = Files.writeString(host.resolve("victim"), "not kata's\n");
        Path manifest = kata().resolve(Manifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"path\" : \"[^\"]+\"",
                "\"path\" : \"../../victim\""));
        Map<String, String> before = snapshot(host);

        assertThatThrownBy(() -> installer.uninstall(SPEC, host))
                .isInstanceOf(io.kdeploy.core.MalformedConfigException.class)
                .hasMessageContaining("entry path '../../victim' is not a relative path inside the destination");
        assertThatThrownBy(() -> installer.plan(ArtifactSource.of(work.resolve("src")), SPEC, host))
                .isInstanceOf(io.kdeploy.core.MalformedConfigException.class);
        assertThat(snapshot(host)).isEqualTo(before);
        assertThat(victim).hasContent("not kata's");
    }

    @Test
    void uninstallWithoutManifestRemovesNothingAndReportsWhatIsThere() throws IOException {
        Files.createDirectories(kata().resolve("bin"));
        Files.writeString(kata().resolve("bin/hand-installed"), "x");

        UninstallReport r = installer.uninstall(SPEC, host);

        assertThat(r.manifestFound()).isFalse();
        assertThat(r.filesRemoved()).isZero();
        assertThat(r.keptForeign()).containsExactly("bin/hand-installed");
        assertThat(kata().resolve("bin/hand-installed")).exists();
    }

    // ----------------------------------------------------------------------------------------------------------------------

    static Manifest readManifest(Path dest) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(dest.resolve(Manifest.FILE_NAME).toFile(), Manifest.class);
    }

    /** Every entry under {@code root}: type, size, mtime and inode. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(), (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f") + " "
                        + a.size() + " " + a.lastModifiedTime() + " " + Files.getAttribute(p, "unix:ino",
                        LinkOption.NOFOLLOW_LINKS) + " " + (a.isDirectory() ? "" : SourceReader.mode(p)));
            }
        }
        return out;
    }

    /** Every file's content hash and mode, and every symlink's target, under {@code root}. */
    static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    out.put(rel, AtomicFiles.sha256(p) + " " + SourceReader.mode(p));
                } else {
                    out.put(rel, "dir " + SourceReader.mode(p));
                }
            }
        }
        return out;
    }

    static List<String> listAll(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).toList();
        }
    }

    static List<String> listTemps(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(Path::toString).filter(p -> p.endsWith(".tmp")).toList();
        }
    }
}
