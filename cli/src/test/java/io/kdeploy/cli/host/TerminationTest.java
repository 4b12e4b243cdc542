package io.kdeploy.cli.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TerminationTest {
    private final AtomicReference<Thread> hook = new AtomicReference<>();
    private final AtomicReference<Thread> removed = new AtomicReference<>();
    private final AtomicInteger halted = new AtomicInteger(-1);

    private Termination termination(Duration grace) {
        return new Termination(grace, hook::set, removed::set, halted::set);
    }

    @Test
    void aSignalInterruptsAnAbandonableWaitAndTheProcessExitsWithTheReportedStatus() throws Exception {
        Termination t = termination(Duration.ofSeconds(10));
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<String> agent = CompletableFuture.supplyAsync(() -> {
            try {
                t.interruptibly(() -> {
                    waiting.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                    return "never";
                });
                return "not stopped";
            } catch (Termination.Terminated e) {
                t.finish(0);
                return "stopped, cleaned up";
            }
        });
        waiting.await();

        hook.get().start();
        hook.get().join(5_000);

        assertThat(agent.get(5, TimeUnit.SECONDS)).isEqualTo("stopped, cleaned up");
        assertThat(halted.get()).isZero();
        assertThat(t.requested()).isTrue();
        assertThatThrownBy(t::checkpoint).isInstanceOf(Termination.Terminated.class);
    }

    @Test
    void theHookWaitsForTheAgentAndGivesUpAfterTheGracePeriod() throws Exception {
        Termination t = termination(Duration.ofMillis(200));
        hook.get().start();
        t.awaitRequest();
        hook.get().join(5_000);

        assertThat(halted.get()).isEqualTo(1);
    }

    @Test
    void aCommandThatEndsOnItsOwnRemovesTheHook() {
        Termination t = termination(Duration.ofSeconds(1));
        t.close();

        assertThat(removed.get()).isSameAs(hook.get());
        assertThat(t.requested()).isFalse();
        t.checkpoint();
        assertThat(t.interruptibly(() -> "done")).isEqualTo("done");
    }

    /** A real JVM gets a real SIGTERM, runs its cleanup (which logs) and exits 0. */
    @Test
    void sigtermRunsTheCleanupAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.util.logging.manager=" + ShutdownSafeLogManager.class.getName(), Probe.class.getName())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        lines.add(out.readLine());
        assertThat(lines).containsExactly("installed, waiting");

        // Process.destroy() would also send SIGTERM, but it closes our end of the pipes
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor()).isZero();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
        }

        assertThat(lines).contains("cleanup ran", "INFO: decision logged during cleanup");
        assertThat(p.exitValue()).isZero();
    }

    /** The agent's shape: install, announce, block until SIGTERM, clean up, report. */
    public static final class Probe {
        public static void main(String[] args) throws InterruptedException {
            Termination t = Termination.install(Duration.ofSeconds(20));
            System.out.println("installed, waiting");
            System.out.flush();
            t.awaitRequest();
            Thread.sleep(300);
            System.getLogger("probe").log(System.Logger.Level.INFO, "decision logged during cleanup");
            System.out.println("cleanup ran");
            System.out.flush();
            t.finish(0);
            Thread.sleep(60_000);
        }
    }
}
