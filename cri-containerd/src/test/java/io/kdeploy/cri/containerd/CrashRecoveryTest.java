package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.plan.WriteObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash at any write (DESIGN.md §7): an install, and then a cleanup, stopped at the k-th file write through the applier's
 * fault hook (as a {@code kill -9} would stop them: nothing after that write runs, no rollback), sometimes twice in a row.
 * A fresh applier running the same command again must reach exactly the tree of one clean install, and cleanup the input
 * bytes. Each run is one seed: the golden case, the crash points and whether the retry crashes too all follow from it.
 */
class CrashRecoveryTest {
    private static final int RUNS = 64;

    /** Thrown by the fault hook: the simulated crash. */
    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String path) {
            super("simulated crash before writing " + path, null, false, false);
        }
    }

    static IntStream seeds() {
        return IntStream.range(0, RUNS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void installAndCleanupConvergeAfterACrashAtAnyWrite(int seed, @TempDir Path dir) {
        List<String> names = GoldenCase.names();
        GoldenCase c = GoldenCase.load(names.get(seed % names.size()));
        Random random = new Random(seed);

        HostRoot clean = HostTree.create(dir.resolve("clean"), c.input());
        AtomicInteger installWrites = new AtomicInteger();
        HostTree.install(applier(clean, p -> installWrites.incrementAndGet()), c.spec(), c.runtime());
        Map<String, String> reference = HostTree.tree(clean.path(), true);
        AtomicInteger cleanupWrites = new AtomicInteger();
        HostTree.cleanup(applier(clean, p -> cleanupWrites.incrementAndGet()), c.spec(), c.runtime());
        assertThat(installWrites.get()).as("%s writes something", c.name()).isPositive();

        HostRoot host = HostTree.create(dir.resolve("crashed"), c.input());
        int crashes = 1 + random.nextInt(2);
        int k0 = 1 + random.nextInt(installWrites.get());
        assertThatThrownBy(() -> HostTree.install(crashingAt(host, k0), c.spec(), c.runtime()))
                .as("%s: install crash at write %d", c.name(), k0).isInstanceOf(Crash.class);
        if (crashes > 1) {
            crashOrFinish(() -> HostTree.install(crashingAt(host, 1 + random.nextInt(installWrites.get())), c.spec(),
                    c.runtime()));
        }
        HostTree.install(applier(host, WriteObserver.NONE), c.spec(), c.runtime());
        assertThat(HostTree.tree(host.path(), true)).as("%s: install after %d crash(es)", c.name(), crashes)
                .isEqualTo(reference);
        assertThat(HostTree.install(applier(host, WriteObserver.NONE), c.spec(), c.runtime()).changedPaths())
                .as("%s: a further install changes nothing", c.name()).isEmpty();

        if (cleanupWrites.get() > 0 && random.nextBoolean()) {
            int k = 1 + random.nextInt(cleanupWrites.get());
            assertThatThrownBy(() -> HostTree.cleanup(crashingAt(host, k), c.spec(), c.runtime()))
                    .as("%s: cleanup crash at write %d", c.name(), k).isInstanceOf(Crash.class);
        }
        HostTree.cleanup(applier(host, WriteObserver.NONE), c.spec(), c.runtime());
        assertThat(HostTree.tree(host.path(), false)).as("%s: cleanup gives back the input", c.name())
                .isEqualTo(HostTree.texts(c.reverted()));
        assertThat(InstallRecords.read(host, c.spec().instance())).isEmpty();
    }

    /** Runs a retry that may crash too (when it still has that many writes to do) or finish. */
    private static void crashOrFinish(Runnable retry) {
        try {
            retry.run();
        } catch (Crash expected) {
            assertThat(expected).hasMessageStartingWith("simulated crash");
        }
    }

    private static PlanApplier applier(HostRoot host, WriteObserver observer) {
        return PlanApplier.builder(host).writeObserver(observer).build();
    }

    /** An applier that dies just before its k-th file write (1-based). */
    private static PlanApplier crashingAt(HostRoot host, int k) {
        AtomicInteger n = new AtomicInteger();
        return applier(host, path -> {
            if (n.incrementAndGet() == k) {
                throw new Crash(path);
            }
        });
    }
}
