package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.artifacts.KataArtifactInstaller;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.PlanApplier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash at a random moment (DESIGN.md §7): a child JVM installing the artifacts and the containerd config is killed with
 * {@code destroyForcibly} (SIGKILL) after a seeded random delay within one uninterrupted run's duration, 8 times. Each
 * time, installing again reaches exactly the tree of one clean install (artifacts, manifest, config, install record), and
 * cleanup (config revert, then artifact uninstall) gives back the input files.
 */
class KilledInstallTest {
    private static final String CASE = "containerd-2.2-without-confd";
    private static final int RUNS = 8;

    @Test
    void installKilledAtARandomMomentConvergesOnTheNextRun(@TempDir Path dir) throws Exception {
        GoldenCase c = GoldenCase.load(CASE);
        Path source = artifactTree(dir.resolve("source"));

        HostRoot clean = HostTree.create(dir.resolve("clean"), c.input());
        installAll(source, c, clean);
        Map<String, String> reference = normalised(HostTree.tree(clean.path(), true));

        long t0 = System.nanoTime();
        Process timing = ChildJvm.start(List.of(CASE, "", "30000", source.toString(),
                HostTree.create(dir.resolve("timing"), c.input()).path().toString()));
        assertThat(timing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(timing.exitValue()).as(new String(timing.getErrorStream().readAllBytes())).isZero();
        long fullRunMillis = (System.nanoTime() - t0) / 1_000_000;

        int killedMidway = 0;
        for (int seed = 0; seed < RUNS; seed++) {
            HostRoot host = HostTree.create(dir.resolve("killed" + seed), c.input());
            long delay = new Random(seed).nextLong(fullRunMillis);
            Process p = ChildJvm.start(List.of(CASE, "", "30000", source.toString(), host.path().toString()));
            if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                killedMidway++;
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            installAll(source, c, host);
            assertThat(normalised(HostTree.tree(host.path(), true)))
                    .as("seed %d: killed after %d ms of a %d ms run, then installed again", seed, delay, fullRunMillis)
                    .isEqualTo(reference);

            HostTree.cleanup(PlanApplier.builder(host).build(), c.spec(), c.runtime());
            new KataArtifactInstaller().uninstall(c.spec(), host.path());
            assertThat(HostTree.tree(host.path(), false)).as("seed %d: cleanup", seed)
                    .isEqualTo(HostTree.texts(c.input()));
        }
        assertThat(killedMidway).as("runs killed before they finished").isGreaterThanOrEqualTo(RUNS / 4);
    }

    private static void installAll(Path source, GoldenCase c, HostRoot host) {
        InstallProcess.installArtifacts(source, c.spec(), host.path());
        HostTree.install(PlanApplier.builder(host).build(), c.spec(), c.runtime());
    }

    /** The manifest records each file's mtime, which differs between two hosts: compare it without those. */
    private static Map<String, String> normalised(Map<String, String> tree) {
        Map<String, String> out = new TreeMap<>(tree);
        out.replaceAll((k, v) -> k.endsWith("/.kdeploy-manifest.json")
                ? v.replaceAll("\"mtime\" *: *\"[^\"]*\"", "\"mtime\":\"-\"") : v);
        return out;
    }

    /** A small Kata tree: the shim, a kernel-sized file, 400 small files, a symlink and the qemu base configuration. */
    private static Path artifactTree(Path root) throws IOException {
        Random random = new Random(42);
        Path bin = Files.createDirectories(root.resolve("bin"));
        byte[] shim = new byte[2_000_000];
        random.nextBytes(shim);
        Files.write(bin.resolve("containerd-shim-kata-v2"), shim);
        Files.setPosixFilePermissions(bin.resolve("containerd-shim-kata-v2"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path share = Files.createDirectories(root.resolve("share/kata-containers"));
        byte[] kernel = new byte[8_000_000];
        random.nextBytes(kernel);
        Files.write(share.resolve("vmlinux-6.12"), kernel);
        Files.createSymbolicLink(share.resolve("vmlinux.container"), Path.of("vmlinux-6.12"));
        for (int d = 0; d < 8; d++) {
            Path sub = Files.createDirectories(root.resolve("share/kata-qemu/d" + d));
            for (int f = 0; f < 50; f++) {
                byte[] small = new byte[2048];
                random.nextBytes(small);
                Files.write(sub.resolve("f" + f), small);
            }
        }
        Path defaults = Files.createDirectories(root.resolve("share/defaults/kata-containers"));
        Files.copy(GoldenCase.corpus().resolveSibling("kata-config").resolve("default-qemu/input.toml"),
                defaults.resolve("configuration-qemu.toml"));
        return root;
    }
}
