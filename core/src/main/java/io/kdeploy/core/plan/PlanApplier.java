package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.RuntimeRejectedConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The only code that writes host config files. {@link #apply} takes the node lock, checks that every file still has the
 * bytes the plan was made from (else refuses with {@link StalePlanException}, writing nothing), writes the install record
 * first (in progress), then each file atomically (temp file in the same directory, force, atomic rename, fsync of the
 * directory; an existing file keeps its owner and mode), runs the plan's validation command, rolls every file and the
 * record back when the runtime rejects the config, and finally marks the record complete. An empty plan writes nothing.
 *
 * <pre>{@code
 * PlanApplier applier = PlanApplier.builder(HostRoot.of(Path.of("/host"))).build();
 * ApplyResult r = applier.apply(plan, "default");
 * }</pre>
 */
public final class PlanApplier {

    private final HostRoot root;
    private final CommandRunner runner;
    private final Duration lockTimeout;
    private final WriteObserver observer;

    private PlanApplier(Builder b) {
        this.root = b.root;
        this.runner = b.runner;
        this.lockTimeout = b.lockTimeout;
        this.observer = b.observer;
    }

    /** A builder for an applier on {@code root}: processes run validation, 60 s lock timeout, no observer. */
    public static Builder builder(HostRoot root) {
        return new Builder(root);
    }

    /** Configures a {@link PlanApplier}. */
    public static final class Builder {
        private final HostRoot root;
        private CommandRunner runner = CommandRunner.processes();
        private Duration lockTimeout = Duration.ofSeconds(60);
        private WriteObserver observer = WriteObserver.NONE;

        private Builder(HostRoot root) {
            this.root = requireNonNull(root, "root");
        }

        /** How validation commands are run. */
        public Builder commandRunner(CommandRunner runner) {
            this.runner = requireNonNull(runner, "runner");
            return this;
        }

        /** How long to wait for the node lock. */
        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = requireNonNull(timeout, "timeout");
            return this;
        }

        /** Called before each file write (fault injection in tests). */
        public Builder writeObserver(WriteObserver observer) {
            this.observer = requireNonNull(observer, "observer");
            return this;
        }

        /** The applier. */
        public PlanApplier build() {
            return new PlanApplier(this);
        }
    }

    /**
     * Applies a plan for an install instance. A file the plan puts back to its baseline leaves the record (also when it is
     * already there: a revert plan's no-op edits); the record file goes when nothing is left in it.
     *
     * @throws StalePlanException when a file no longer has the bytes the plan expects (nothing written)
     * @throws RuntimeRejectedConfigException when the validation command fails (every file and the record rolled back)
     * @throws io.kdeploy.core.LockTimeoutException when the node lock is not acquired in time
     */
    public ApplyResult apply(ConfigPlan plan, String instance) {
        ConfigPlan p = plan.withoutNoops();
        if (p.isEmpty()) {
            forgetReverted(plan, instance);
            return new ApplyResult(List.of(), false, null);
        }
        NodeLock lock = NodeLock.acquire(root, lockTimeout);
        try {
            for (FileEdit e : p.edits()) {
                if (!Objects.equals(root.read(e.path()).orElse(null), e.before())) {
                    throw new StalePlanException(e.path());
                }
            }
            InstallRecord previous = InstallRecords.read(root, instance).orElse(null);
            if (previous != null && previous.inProgress()) {
                Log.LOG.log(System.Logger.Level.WARNING, () -> "an earlier kdeploy run of instance '" + instance + "' stopped half"
                        + " way; its record stays authoritative and this run finishes the job");
            }
            InstallRecords.write(root, record(instance, previous, p, InstallRecord.State.IN_PROGRESS));
            for (FileEdit e : p.edits()) {
                observer.beforeWrite(e.path());
                AtomicFiles.put(root.resolve(e.path()), e.after(), e.mode());
            }
            String output = null;
            if (p.validation() != null) {
                CommandRunner.Result r;
                try {
                    r = runner.run(p.validation().argv());
                } catch (RuntimeException e) {
                    rollback(p, instance, previous);
                    throw e;
                }
                output = r.output();
                if (r.exitCode() != 0) {
                    rollback(p, instance, previous);
                    throw new RuntimeRejectedConfigException(String.join(" ", p.validation().argv()) + " rejected the new"
                            + " configuration of " + String.join(", ", p.changedPaths()) + " (exit " + r.exitCode() + "): "
                            + r.output().strip() + ". kdeploy restored every file; fix the cause named above and run again.",
                            r.output());
                }
            }
            InstallRecord done = record(instance, previous, plan, InstallRecord.State.COMPLETE);
            if (done.files().isEmpty()) {
                InstallRecords.delete(root, instance);
            } else {
                InstallRecords.write(root, done);
            }
            return new ApplyResult(p.changedPaths(), p.restartUnit() != null, output);
        } finally {
            lock.close();
        }
    }

    /**
     * Plans and applies under one hold of the node lock, so that concurrent runs (e.g. two installs with different
     * suffixes) each plan from the files the other one left and no edit is lost. The planner reads through the host root
     * and typically uses {@link InstallRecords#baselinesFor}.
     */
    public ApplyResult planAndApply(String instance, Function<? super HostRoot, ConfigPlan> planner) {
        requireNonNull(planner, "planner");
        NodeLock lock = NodeLock.acquire(root, lockTimeout);
        try {
            return apply(planner.apply(root), instance);
        } finally {
            lock.close();
        }
    }

    /**
     * Deletes an instance's install record under the node lock (after a revert plan that had nothing left to change).
     * Returns true when there was one.
     */
    public boolean forget(String instance) {
        NodeLock lock = NodeLock.acquire(root, lockTimeout);
        try {
            return InstallRecords.delete(root, instance);
        } finally {
            lock.close();
        }
    }

    /**
     * A revert plan with nothing left to write (every file already at its baseline, e.g. after a cleanup that stopped
     * after its last write) still finishes the job: those files leave the record. Any other empty plan writes nothing.
     */
    private void forgetReverted(ConfigPlan plan, String instance) {
        if (plan.edits().isEmpty() || !plan.edits().stream().allMatch(FileEdit::restoresBaseline)) {
            return;
        }
        InstallRecord rec = InstallRecords.read(root, instance).orElse(null);
        if (rec == null || plan.edits().stream().noneMatch(e -> rec.file(e.path()).isPresent())) {
            return;
        }
        NodeLock lock = NodeLock.acquire(root, lockTimeout);
        try {
            InstallRecord previous = InstallRecords.read(root, instance).orElse(null);
            if (previous == null) {
                return;
            }
            InstallRecord done = record(instance, previous, plan, InstallRecord.State.COMPLETE);
            if (done.files().isEmpty()) {
                InstallRecords.delete(root, instance);
            } else {
                InstallRecords.write(root, done);
            }
        } finally {
            lock.close();
        }
    }

    private void rollback(ConfigPlan p, String instance, @Nullable InstallRecord previous) {
        for (FileEdit e : p.edits()) {
            AtomicFiles.put(root.resolve(e.path()), e.before(), e.mode());
        }
        if (previous == null) {
            InstallRecords.delete(root, instance);
        } else {
            InstallRecords.write(root, previous);
        }
    }

    /**
     * The record after applying {@code p}. In progress it keeps every earlier entry (also of files being reverted, so an
     * interrupted revert can finish) and remembers our earlier write's hash; complete it drops the reverted files.
     */
    private static InstallRecord record(
            String instance, @Nullable InstallRecord previous, ConfigPlan p, InstallRecord.State state) {
        Map<String, InstallRecord.FileEntry> files = new LinkedHashMap<>();
        if (previous != null) {
            previous.files().forEach(f -> files.put(f.path(), f));
        }
        for (FileEdit e : p.edits()) {
            InstallRecord.FileEntry old = files.get(e.path());
            boolean complete = state == InstallRecord.State.COMPLETE;
            if (e.isNoop() && !(complete && e.restoresBaseline())) {
                continue;
            }
            if (e.restoresBaseline()) {
                if (complete) {
                    files.remove(e.path());
                } else if (old != null) {
                    files.put(e.path(), new InstallRecord.FileEntry(old.path(), old.original(), old.undo(),
                            old.afterSha256(), e.after() == null ? null : e.after().sha256()));
                }
                continue;
            }
            String after = e.after() == null ? null : e.after().sha256();
            String interim = complete || old == null ? null : old.afterSha256();
            files.put(e.path(), new InstallRecord.FileEntry(e.path(), e.baseline(), e.undo(), after, interim));
        }
        if (state == InstallRecord.State.COMPLETE) {
            // an entry an interrupted run left (its file already as planned, so a no-op now) is complete too
            files.replaceAll((path, f) -> f.interimSha256() == null ? f
                    : new InstallRecord.FileEntry(f.path(), f.original(), f.undo(), f.afterSha256(), null));
        }
        return new InstallRecord(instance, state, new ArrayList<>(files.values()));
    }

    /**
     * The logger, created on first use: the first logger of a JVM sets up the logging back-end (~9 ms), which a run that
     * logs nothing, such as an unchanged re-install, need not pay on its main thread.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(PlanApplier.class.getName());
    }
}
