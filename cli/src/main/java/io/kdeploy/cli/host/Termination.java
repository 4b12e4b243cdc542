package io.kdeploy.cli.host;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns SIGTERM into an orderly stop, without {@code sun.misc.Signal}: a shutdown hook (which the JVM runs on SIGTERM)
 * marks the request, interrupts the agent thread only while it sits in a wait that is safe to abandon
 * ({@link #interruptibly}), and then holds the JVM open until the agent thread reports {@link #finish(int)} — at most for
 * the grace period — and ends the process with that exit status.
 *
 * <p>The agent thread runs the life cycle and checks {@link #checkpoint()} between steps (never in the middle of a file
 * write), blocks in {@link #awaitRequest()} once installed, and after either runs cleanup and calls {@link #finish(int)}.
 * A command that ends on its own calls {@link #close()}, which removes the hook. Run the JVM with
 * {@link ShutdownSafeLogManager} so that the cleanup's log lines are not dropped.
 */
public final class Termination implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Termination.class.getName());

    private final Duration grace;
    private final IntConsumer halt;
    private final Consumer<Thread> unregister;
    private final Thread hook;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object lock = new Object();
    private final boolean hooked;
    private volatile int exitCode;
    private @Nullable Thread waiting;

    Termination(Duration grace, Consumer<Thread> register, Consumer<Thread> unregister, IntConsumer halt) {
        this.grace = requireNonNull(grace, "grace");
        this.halt = requireNonNull(halt, "halt");
        this.unregister = requireNonNull(unregister, "unregister");
        this.hook = new Thread(this::onSignal, "kdeploy-sigterm");
        this.hooked = true;
        register.accept(hook);
    }

    private Termination(Duration grace) {
        this.grace = requireNonNull(grace, "grace");
        this.halt = status -> { };
        this.unregister = thread -> { };
        this.hook = new Thread(this::onSignal, "kdeploy-stop");
        this.hooked = false;
    }

    /**
     * Registers the shutdown hook. {@code grace} is how long the hook waits for the agent to finish; keep it below the
     * pod's {@code terminationGracePeriodSeconds} so the process exits on its own before the kubelet kills it.
     */
    public static Termination install(Duration grace) {
        // Logging first set up while the JVM shuts down stays silent; set it up now, so the cleanup's log lines appear.
        java.util.logging.Logger.getLogger("").getHandlers();
        Runtime runtime = Runtime.getRuntime();
        return new Termination(grace, runtime::addShutdownHook, runtime::removeShutdownHook, runtime::halt);
    }

    /**
     * A termination without a JVM shutdown hook, stopped only by {@link #signal()}; for running the agent embedded or in
     * tests. Ending it never halts the JVM.
     */
    public static Termination detached(Duration grace) {
        return new Termination(grace);
    }

    /**
     * Does what SIGTERM does to an {@link #install installed} termination, on a new thread: marks the request, interrupts
     * an abandonable wait, and waits (at most the grace period) for {@link #finish(int)}. Only for a {@link #detached}
     * termination.
     *
     * @return the thread that handles the request; it ends once the agent finished or the grace period passed
     * @throws IllegalStateException on a termination whose stop belongs to the JVM's shutdown hook
     */
    public Thread signal() {
        if (hooked) {
            throw new IllegalStateException("This termination is stopped by SIGTERM through its JVM shutdown hook");
        }
        hook.start();
        return hook;
    }

    /** The status reported by {@link #finish(int)}, {@code 0} before. */
    public int exitCode() {
        return exitCode;
    }

    /** Whether SIGTERM (or another JVM shutdown) has been requested. */
    public boolean requested() {
        return requested.getCount() == 0;
    }

    /** Throws {@link Terminated} when a stop was requested; call it between steps, where stopping is safe. */
    public void checkpoint() {
        if (requested()) {
            throw new Terminated();
        }
    }

    /** Blocks until a stop is requested. */
    public void awaitRequest() throws InterruptedException {
        requested.await();
    }

    /**
     * Runs a wait that may be abandoned (watching the Node, waiting for a unit): when a stop is requested before or
     * during it, the thread is interrupted and this throws {@link Terminated}.
     */
    public <T> T interruptibly(Supplier<T> wait) {
        synchronized (lock) {
            checkpoint();
            waiting = Thread.currentThread();
        }
        try {
            return wait.get();
        } catch (RuntimeException e) {
            if (requested()) {
                Terminated t = new Terminated();
                t.initCause(e);
                throw t;
            }
            throw e;
        } finally {
            synchronized (lock) {
                waiting = null;
                if (requested()) {
                    Thread.interrupted();
                }
            }
            checkpoint();
        }
    }

    /** Reports that the agent is done (cleanup included) and the process may exit with {@code status}. */
    public void finish(int status) {
        exitCode = status;
        finished.countDown();
    }

    /**
     * Ends the hook's life: removed when no stop was requested, otherwise the same as {@link #finish(int)} with the
     * status 0 unless one was already reported.
     */
    @Override
    public void close() {
        if (!requested()) {
            try {
                unregister.accept(hook);
                return;
            } catch (IllegalStateException shutdownInProgress) {
                LOG.log(Level.DEBUG, "JVM shutdown began while the command finished");
            }
        }
        finished.countDown();
    }

    private void onSignal() {
        LOG.log(Level.INFO, "Stop requested (SIGTERM); finishing the current step, then cleaning up");
        synchronized (lock) {
            requested.countDown();
            if (waiting != null) {
                waiting.interrupt();
            }
        }
        boolean done;
        try {
            done = finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        System.out.flush();
        System.err.flush();
        if (done) {
            halt.accept(exitCode);
        } else {
            LOG.log(Level.ERROR, () -> "Cleanup did not finish within " + grace.toSeconds() + " s of SIGTERM; exiting"
                    + " anyway. Run 'kdeploy cleanup' on the node to finish it.");
            halt.accept(1);
        }
    }

    /** Thrown at a checkpoint once a stop has been requested. */
    public static final class Terminated extends KdeployException {
        private static final long serialVersionUID = 1L;

        Terminated() {
            super("Stopped by SIGTERM before the step finished; cleanup follows.");
        }
    }
}
