package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kdeploy.core.KdeployException;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecord;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.PlanApplier;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full disk and failing writes (DESIGN.md §7): on a 64 KiB tmpfs filled to the last block (root only; skipped with the
 * reason elsewhere) the install fails with a message naming the file and the fix, every original byte intact; after space
 * is freed the next install converges to the clean install and cleanup gives back the input. Without root, an I/O error
 * injected at the second file write of a two-file plan leaves each file either as it was or as planned, never partial,
 * and the next run converges.
 */
class FullDiskTest {
    private static final String ONE_FILE = "containerd-1.6-debian-stock";
    private static final String TWO_FILES = "containerd-2.0-no-imports";

    @Test
    void fullTmpfsFailsCleanlyAndTheNextRunConverges(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("tmpfs"));
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a tmpfs (runs as "
                + System.getProperty("user.name") + "); the injected I/O error test covers the non-root case");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString()) == 0,
                "mount -t tmpfs is not permitted here (no CAP_SYS_ADMIN)");
        try {
            GoldenCase c = GoldenCase.load(ONE_FILE);
            Map<String, String> reference = cleanInstall(dir.resolve("clean"), c);
            HostRoot host = HostTree.create(mnt.resolve("host"), c.input());
            Path filler = mnt.resolve("filler");
            fill(filler);

            assertThatThrownBy(() -> HostTree.install(PlanApplier.builder(host).build(), c.spec(), c.runtime()))
                    .isInstanceOf(KdeployException.class)
                    .hasMessageContaining(host.path().toString())
                    .hasMessageContaining("free space");
            assertThat(HostTree.tree(host.path(), false)).as("originals intact, no record, no temp file")
                    .isEqualTo(HostTree.texts(c.input()));

            Files.delete(filler);
            HostTree.install(PlanApplier.builder(host).build(), c.spec(), c.runtime());
            assertThat(HostTree.tree(host.path(), true)).isEqualTo(reference);
            HostTree.cleanup(PlanApplier.builder(host).build(), c.spec(), c.runtime());
            assertThat(HostTree.tree(host.path(), false)).isEqualTo(HostTree.texts(c.input()));
        } finally {
            assertThat(run("umount", mnt.toString())).as("umount").isZero();
        }
    }

    @Test
    void ioErrorAtTheSecondWriteLeavesNoPartialFileAndTheNextRunConverges(@TempDir Path dir) {
        GoldenCase c = GoldenCase.load(TWO_FILES);
        Map<String, String> reference = cleanInstall(dir.resolve("clean"), c);
        HostRoot host = HostTree.create(dir.resolve("host"), c.input());
        AtomicInteger writes = new AtomicInteger();
        AtomicReference<String> failed = new AtomicReference<>();
        PlanApplier failing = PlanApplier.builder(host).writeObserver(path -> {
            if (writes.incrementAndGet() == 2) {
                failed.set(path);
                throw new UncheckedIOException(new IOException(path + ": No space left on device"));
            }
        }).build();

        assertThatThrownBy(() -> HostTree.install(failing, c.spec(), c.runtime()))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage(failed.get() + ": No space left on device");
        assertThat(HostTree.tree(host.path(), false).get(failed.get())).as("the failed file is untouched")
                .isEqualTo(HostTree.texts(c.input()).get(failed.get()));
        Map<String, String> after = HostTree.tree(host.path(), false);
        Map<String, String> input = HostTree.texts(c.input());
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (!e.getKey().startsWith("/var/lib/kdeploy/")) {
                assertThat(e.getValue()).as(e.getKey()).isIn(input.get(e.getKey()), reference.get(e.getKey()));
            }
        }
        assertThat(after).as("exactly one of the two files written").isNotEqualTo(input);
        assertThat(InstallRecords.read(host, c.spec().instance())).get().extracting(InstallRecord::inProgress)
                .isEqualTo(true);

        HostTree.install(PlanApplier.builder(host).build(), c.spec(), c.runtime());
        assertThat(HostTree.tree(host.path(), true)).isEqualTo(reference);
        HostTree.cleanup(PlanApplier.builder(host).build(), c.spec(), c.runtime());
        assertThat(HostTree.tree(host.path(), false)).isEqualTo(input);
    }

    private static Map<String, String> cleanInstall(Path root, GoldenCase c) {
        HostRoot clean = HostTree.create(root, c.input());
        HostTree.install(PlanApplier.builder(clean).build(), c.spec(), c.runtime());
        return HostTree.tree(root, true);
    }

    /** Writes zeros until the file system is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left");
        }
    }

    private static int run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
