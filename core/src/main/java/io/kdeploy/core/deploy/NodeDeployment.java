package io.kdeploy.core.deploy;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ArtifactAction;
import io.kdeploy.core.artifacts.ArtifactPlan;
import io.kdeploy.core.artifacts.ArtifactResult;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.InstallOptions;
import io.kdeploy.core.artifacts.KataArtifactInstaller;
import io.kdeploy.core.artifacts.ProgressListener;
import io.kdeploy.core.artifacts.UninstallReport;
import io.kdeploy.core.plan.ApplyResult;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.CommandRunner;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.NodeLock;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.plan.UnitActions;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.Installer;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.spi.HostUnits;
import io.kdeploy.core.spi.UnitRestarter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Installs Kata Containers on one host root and takes it off again: DESIGN.md §1 steps 1 to 9 (the cluster steps are the
 * caller's). An embedding program needs only this class:
 *
 * <pre>{@code
 * NodeDeployment node = NodeDeployment.builder(Path.of("/"))
 *         .restarter(unit -> systemctl("restart", unit))
 *         .build();
 * InstallReport r = node.install(InstallRequest.of(DeploySpec.of("qemu")).withArtifacts(ArtifactSource.of(tree)));
 * node.cleanup(CleanupRequest.of(spec, new CleanupDecision.Full("uninstall")));
 * }</pre>
 *
 * <p>An install plans the runtime configuration first (a malformed host file stops it before anything is touched, not even
 * the node lock), then, under the node lock, installs the artifacts (only files that differ), writes the configuration
 * through {@link PlanApplier} (write-ahead install record, atomic writes, the runtime's validation command, rollback) and
 * restarts the runtime's unit only when its configuration changed. Running it again with the same inputs writes nothing and
 * restarts nothing. A cleanup does exactly what its decision says.
 */
public final class NodeDeployment {

    private final Path hostRoot;
    private final Kdeploy registry;
    private final Installer installer;
    private final @Nullable CommandRunner commandRunner;
    private final @Nullable UnitRestarter restarter;
    private final @Nullable HostUnits units;
    private final Duration lockTimeout;
    private final ProgressListener progress;

    private NodeDeployment(Builder b) {
        this.hostRoot = b.hostRoot;
        this.registry = b.registry == null ? Kdeploy.discover() : b.registry;
        this.installer = b.installer == null ? defaultInstaller() : b.installer;
        this.commandRunner = b.commandRunner;
        this.restarter = b.restarter;
        this.units = b.units;
        this.lockTimeout = b.lockTimeout;
        this.progress = b.progress;
    }

    /**
     * A builder for the node whose {@code /} is at {@code hostRoot}. Defaults: every provider {@link Kdeploy#discover()}
     * finds, the {@link Installer} {@link ServiceLoader} finds (else {@link KataArtifactInstaller}), validation commands run as
     * processes (their node paths mapped under the host root when it is not {@code /}), no restarter (a needed restart is
     * reported as a warning), a 60 s lock timeout, no progress reports.
     */
    public static Builder builder(Path hostRoot) {
        return new Builder(hostRoot);
    }

    /** The host root this deployment works on. */
    public Path hostRoot() {
        return hostRoot;
    }

    /**
     * Installs (DESIGN.md §1 steps 1 to 9).
     *
     * @throws InvalidSpecException when the runtime cannot be told or contradicts the declared flavour, or the spec does not
     *     fit the runtime (exit 2; nothing touched)
     * @throws io.kdeploy.core.MalformedConfigException when a host config file cannot be parsed (exit 3; nothing touched)
     * @throws io.kdeploy.core.RuntimeRejectedConfigException when the runtime rejects the new configuration (exit 4; rolled
     *     back)
     * @throws io.kdeploy.core.LockTimeoutException when another run holds the node lock too long (exit 5)
     */
    public InstallReport install(InstallRequest request) {
        return install(request, () -> { });
    }

    /**
     * As {@link #install(InstallRequest)}, calling {@code checkpoint} at the points where stopping leaves the host safe:
     * once the node lock is held, after the artifacts are installed, and after the configuration is applied (before the
     * restart). A checkpoint that throws (the agent's SIGTERM) ends the install there: the lock is released, no file is
     * half-written, and a cleanup afterwards takes off whatever was done.
     */
    public InstallReport install(InstallRequest request, Runnable checkpoint) {
        requireNonNull(request, "request");
        requireNonNull(checkpoint, "checkpoint");
        HostRoot root = HostRoot.of(hostRoot);
        DeploySpec spec = request.spec();
        String instance = spec.instance();
        CriConfigurator named = named(request.configurer());
        RuntimeInfo runtime = named == null ? resolveRuntime(request.runtime(), request.declaredFlavour(), root)
                : runtimeFor(named, request.runtime(), root);
        CriConfigurator configurer = named == null ? registry.configurerFor(runtime) : named;
        InstallOptions options = request.verify() ? InstallOptions.VERIFY : InstallOptions.DEFAULTS;
        if (request.dryRun()) {
            ConfigPlan preview = configurer.plan(context(root, spec, runtime, request.force()));
            List<String> warnings = new ArrayList<>(preview.warnings());
            if (request.artifacts() == null) {
                missingShims(root, spec).ifPresent(warnings::add);
            }
            ArtifactPlan artifacts = request.artifacts() == null ? null
                    : installer.plan(request.artifacts(), spec, root.path(), options);
            List<String> changed = new ArrayList<>(preview.changedPaths());
            int artifactFiles = 0;
            String diff = preview.toUnifiedDiff();
            if (artifacts != null) {
                changed.addAll(kataConfigChanges(artifacts));
                artifactFiles = (int) artifacts.filesToWrite();
                diff += artifactDiff(artifacts, root);
            }
            return new InstallReport(changed, artifactFiles, !preview.isEmpty() && preview.restartUnit() != null, false,
                    preview.handlers(), diff, warnings, runtime);
        }
        // Plan the configuration before anything is written: a malformed file or a spec the runtime cannot take stops the
        // install, and its error comes before any other. The plan only reads, so it runs while the node lock is taken and
        // the artifacts are planned (on two cores that is most of an unchanged re-install).
        Background<ConfigPlan> previewing = Background.start(() -> configurer.plan(context(root, spec, runtime,
                request.force())));
        NodeLock lock;
        try {
            lock = NodeLock.acquire(root, lockTimeout);
        } catch (RuntimeException e) {
            throw previewing.failureOr(e);
        }
        try {
            try {
                checkpoint.run();
            } catch (RuntimeException e) {
                throw previewing.failureOr(e);
            }
            List<String> changed = new ArrayList<>();
            int artifactFiles = 0;
            String diff = "";
            ArtifactSource source = request.artifacts();
            ArtifactPlan artifacts = null;
            if (source != null) {
                try {
                    artifacts = installer.plan(source, spec, root.path(), options);
                } catch (RuntimeException e) {
                    throw previewing.failureOr(e);
                }
            }
            ConfigPlan preview = previewing.get();
            List<String> warnings = new ArrayList<>(preview.warnings());
            if (artifacts == null) {
                missingShims(root, spec).ifPresent(warnings::add);
            } else {
                diff = artifactDiff(artifacts, root);
                artifactFiles = applyArtifacts(artifacts, changed, warnings);
            }
            PendingArtifacts.clear(root, instance);
            checkpoint.run();
            AtomicReference<ConfigPlan> planned = new AtomicReference<>(preview);
            ApplyResult applied = applier(root).planAndApply(instance, r -> {
                ConfigPlan p = configurer.plan(context(r, spec, runtime, request.force()));
                planned.set(p);
                stopUnits(p, warnings);
                return p;
            });
            ConfigPlan plan = planned.get();
            List<String> configChanged = new ArrayList<>(applied.changedPaths());
            configChanged.addAll(changed);
            startUnits(plan, applied, warnings);
            checkpoint.run();
            boolean restarted = restart(plan, applied, request.noRestart(), warnings);
            return new InstallReport(configChanged, artifactFiles, applied.restartRequired(), restarted, plan.handlers(),
                    plan.toUnifiedDiff() + diff, warnings, runtime);
        } finally {
            lock.close();
        }
    }

    /**
     * Job mode's {@code install-stage-artifacts}: installs the request's artifacts under the node lock (only files that
     * differ) and touches no runtime configuration. The runtime is resolved as for {@link #install} so that a host the
     * install cannot serve fails here, before anything is written. A second run writes nothing.
     *
     * @throws InvalidSpecException when the request has no artifacts or the runtime cannot be told (exit 2)
     * @throws io.kdeploy.core.LockTimeoutException when another run holds the node lock too long (exit 5)
     */
    public InstallReport installArtifacts(InstallRequest request) {
        requireNonNull(request, "request");
        ArtifactSource source = request.artifacts();
        if (source == null) {
            throw new InvalidSpecException("install-stage-artifacts needs the Kata artifacts: pass --artifacts DIR or"
                    + " an archive holding the content of /opt/kata.");
        }
        HostRoot root = HostRoot.of(hostRoot);
        DeploySpec spec = request.spec();
        RuntimeInfo runtime = resolveRuntime(request.runtime(), request.declaredFlavour(), root);
        InstallOptions options = request.verify() ? InstallOptions.VERIFY : InstallOptions.DEFAULTS;
        List<String> warnings = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        if (request.dryRun()) {
            ArtifactPlan artifacts = installer.plan(source, spec, root.path(), options);
            return new InstallReport(kataConfigChanges(artifacts), (int) artifacts.filesToWrite(), false, false,
                    spec.handlers(), artifactDiff(artifacts, root), warnings, runtime);
        }
        NodeLock lock = NodeLock.acquire(root, lockTimeout);
        try {
            ArtifactPlan artifacts = installer.plan(source, spec, root.path(), options);
            String diff = artifactDiff(artifacts, root);
            int written = applyArtifacts(artifacts, changed, warnings);
            PendingArtifacts.clear(root, spec.instance());
            return new InstallReport(changed, written, false, false, spec.handlers(), diff, warnings, runtime);
        } finally {
            lock.close();
        }
    }

    /**
     * Job mode's {@code install-stage-cri}: registers the handlers with the runtime (no artifacts), restarting the runtime
     * only when its configuration bytes changed; a run that changes nothing converges without a restart. The same as
     * {@link #install} with {@link InstallRequest#withArtifacts no artifacts}.
     */
    public InstallReport installCri(InstallRequest request) {
        return install(requireNonNull(request, "request").withArtifacts(null));
    }

    /**
     * Job mode's {@code cleanup-stage-revert-cri}: takes this install's handlers out of the runtime configuration (and stops
     * the units whose files go), leaving the artifacts; restarts the runtime only when something was reverted and the
     * decision is {@code FULL}. {@code SKIP} touches nothing.
     */
    public CleanupReport revertCri(CleanupRequest request) {
        return cleanup(request, false);
    }

    /**
     * Job mode's {@code cleanup-stage-remove-artifacts}: removes this install's artifacts under the node lock (files changed
     * since the install, or not installed by kdeploy, stay and are reported). A no-op, not even the lock, when the install
     * directory is absent; {@code SKIP} touches nothing.
     */
    public CleanupReport removeArtifacts(CleanupRequest request) {
        requireNonNull(request, "request");
        CleanupDecision decision = request.decision();
        HostRoot root = HostRoot.of(hostRoot);
        DeploySpec spec = request.spec();
        KataLayout layout = new KataLayout(spec);
        if (decision instanceof CleanupDecision.Skip || !root.isDirectory(layout.dest())) {
            return CleanupReport.nothing(decision);
        }
        List<String> kataConfigs = installedKataConfigs(root, layout);
        if (request.dryRun()) {
            return new CleanupReport(decision, kataConfigs, 0, false, false, List.of(), List.of(),
                    "Only in a" + parentOf(layout.dest()) + ": " + nameOf(layout.dest()) + "\n");
        }
        NodeLock lock = NodeLock.acquire(root, lockTimeout);
        try {
            List<String> changed = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            int removed = uninstallArtifacts(root, spec, kataConfigs, changed, warnings);
            return new CleanupReport(decision, changed, removed, false, false, List.of(), warnings, "");
        } finally {
            lock.close();
        }
    }

    /**
     * Cleans up exactly as the request's decision says: {@code SKIP} touches nothing at all; {@code INSTANCE_ONLY} takes this
     * install's handlers out of the runtime configuration and removes its artifacts, without a restart; {@code FULL} does the
     * same and restarts the runtime when its configuration changed. Handlers in use by running pods are unregistered, but the
     * artifacts stay (and are recorded as pending under {@code /var/lib/kdeploy}) until a later cleanup finds them unused.
     *
     * @throws io.kdeploy.core.MalformedConfigException when a host config file cannot be parsed (nothing touched)
     * @throws io.kdeploy.core.LockTimeoutException when another run holds the node lock too long
     */
    public CleanupReport cleanup(CleanupRequest request) {
        return cleanup(request, true);
    }

    /** {@link #cleanup}, or with {@code artifacts} false only its runtime configuration part ({@link #revertCri}). */
    private CleanupReport cleanup(CleanupRequest request, boolean artifacts) {
        requireNonNull(request, "request");
        CleanupDecision decision = request.decision();
        if (decision instanceof CleanupDecision.Skip) {
            return CleanupReport.nothing(decision);
        }
        boolean full = decision instanceof CleanupDecision.Full;
        HostRoot root = HostRoot.of(hostRoot);
        DeploySpec spec = request.spec();
        String instance = spec.instance();
        KataLayout layout = new KataLayout(spec);
        Set<String> inUse = new LinkedHashSet<>(spec.handlers());
        inUse.retainAll(request.handlersInUse());
        CriConfigurator named = named(request.configurer());
        RuntimeInfo runtime;
        try {
            runtime = named == null ? resolveRuntime(request.runtime(), null, root)
                    : runtimeFor(named, request.runtime(), root);
        } catch (InvalidSpecException unknownRuntime) {
            if (InstallRecords.read(root, instance).isPresent() || root.exists(layout.dest())) {
                throw unknownRuntime;
            }
            return CleanupReport.nothing(new CleanupDecision.Skip("Nothing to clean up: the host under " + hostRoot
                    + " has no install record of " + instance + " and no " + layout.dest() + ", and its runtime cannot"
                    + " be told."));
        }
        CriConfigurator configurer = named == null ? registry.configurerFor(runtime) : named;
        ConfigPlan preview = configurer.planRevert(context(root, spec, runtime, false));
        List<String> kataConfigs = installedKataConfigs(root, layout);
        List<String> kept = inUse.isEmpty() ? List.of() : keptPaths(spec, inUse);
        List<String> warnings = new ArrayList<>(preview.warnings());
        if (!inUse.isEmpty()) {
            warnings.add("Handlers " + String.join(", ", inUse) + " are still used by running pods: they are unregistered,"
                    + " but " + layout.dest() + " stays until they are gone; run cleanup again then to remove it.");
        }
        if (request.dryRun()) {
            List<String> changed = new ArrayList<>(preview.changedPaths());
            String diff = preview.toUnifiedDiff();
            if (artifacts && inUse.isEmpty() && root.isDirectory(layout.dest())) {
                changed.addAll(kataConfigs);
                diff += "Only in a" + parentOf(layout.dest()) + ": " + nameOf(layout.dest()) + "\n";
            }
            return new CleanupReport(decision, changed, 0, !preview.isEmpty() && preview.restartUnit() != null, false, kept,
                    warnings, diff);
        }
        NodeLock lock = NodeLock.acquire(root, lockTimeout);
        try {
            AtomicReference<ConfigPlan> planned = new AtomicReference<>(preview);
            ApplyResult applied = applier(root).planAndApply(instance, r -> {
                ConfigPlan p = configurer.planRevert(context(r, spec, runtime, false));
                planned.set(p);
                stopUnits(p, warnings);
                return p;
            });
            ConfigPlan plan = planned.get();
            startUnits(plan, applied, warnings);
            List<String> changed = new ArrayList<>(applied.changedPaths());
            int removed = 0;
            if (!artifacts) {
                Log.LOG.log(System.Logger.Level.DEBUG, () -> "runtime configuration of " + instance + " reverted; artifacts"
                        + " left for cleanup-stage-remove-artifacts");
            } else if (inUse.isEmpty()) {
                removed = uninstallArtifacts(root, spec, kataConfigs, changed, warnings);
            } else {
                PendingArtifacts.write(root, instance, layout.dest(), List.copyOf(inUse));
            }
            boolean restarted = full && restart(plan, applied, request.noRestart(), warnings);
            return new CleanupReport(decision, changed, removed, applied.restartRequired(), restarted, kept, warnings,
                    plan.toUnifiedDiff());
        } finally {
            lock.close();
        }
    }

    /** Applies an artifact plan; adds the changed Kata configurations and the warnings; the number of files written. */
    private int applyArtifacts(ArtifactPlan artifacts, List<String> changed, List<String> warnings) {
        ArtifactResult result = installer.apply(artifacts, progress);
        changed.addAll(kataConfigChanges(artifacts));
        result.kept().forEach(k -> warnings.add(artifacts.nodeDest() + "/" + k + " belonged to the previous"
                + " install and is no longer shipped, but someone changed it; it stays."));
        return result.artifactFilesWritten();
    }

    /** Removes an install's artifacts; adds the removed Kata configurations and the warnings; the number of files removed. */
    private int uninstallArtifacts(HostRoot root, DeploySpec spec, List<String> kataConfigs, List<String> changed,
            List<String> warnings) {
        UninstallReport u = installer.uninstall(spec, root.path());
        kataConfigs.stream().filter(p -> root.read(p).isEmpty()).forEach(changed::add);
        u.keptModified().forEach(k -> warnings.add(u.nodeDest() + "/" + k + " was installed by kdeploy but changed"
                + " since; it stays."));
        u.keptForeign().forEach(k -> warnings.add(u.nodeDest() + "/" + k + " was not installed by kdeploy; it"
                + " stays."));
        PendingArtifacts.clear(root, spec.instance());
        return u.manifestFound() ? Math.max(0, u.filesRemoved() - 1) : u.filesRemoved();
    }

    /**
     * The handlers for which an earlier cleanup of {@code spec}'s instance kept the artifacts because running pods used them
     * (in-use guard); empty when no artifact removal is pending. A cleanup whose handlers are no longer in use finishes it.
     */
    public Optional<List<String>> pendingArtifactRemoval(DeploySpec spec) {
        return PendingArtifacts.read(HostRoot.of(hostRoot), spec.instance());
    }

    /**
     * The runtime of this host as {@link #install} resolves it: {@code given} (its flavour replaced by a distribution the
     * host's files show), the declared flavour checked against the host, or what a configurer detects.
     *
     * @throws InvalidSpecException when the runtime cannot be told or contradicts the declared flavour (exit 2)
     */
    public RuntimeInfo runtime(@Nullable RuntimeInfo given, @Nullable String declaredFlavour) {
        return resolveRuntime(given, declaredFlavour, HostRoot.of(hostRoot));
    }

    /** The systemd unit that runs {@code runtime} on this host, empty when it needs no restart (k0s). */
    public Optional<String> runtimeUnit(RuntimeInfo runtime) {
        return registry.configurerFor(runtime).runtimeUnit(runtime, HostRoot.of(hostRoot));
    }

    /**
     * Checks, touching nothing, that {@code request} can be installed here: the runtime resolves and the configurer plans it
     * (spec against runtime: snapshotters, erofs kernel and version checks, a parseable host configuration). Returns the
     * planned install as a dry run does, without the artifacts.
     *
     * @throws InvalidSpecException when the host or spec fails a check (exit 2)
     * @throws io.kdeploy.core.MalformedConfigException when a host config file cannot be parsed (exit 3)
     */
    public InstallReport check(InstallRequest request) {
        return install(requireNonNull(request, "request").withArtifacts(null).withDryRun(true));
    }

    /**
     * The runtime of this host for a request: the given one (its flavour replaced by a distribution the host's files show),
     * the declared flavour (checked against the host), or what a configurer detects from the host's files.
     */
    private RuntimeInfo resolveRuntime(@Nullable RuntimeInfo given, @Nullable String declaredId, NodeFiles files) {
        Flavour declared = declaredId == null || declaredId.isBlank() || declaredId.trim().equalsIgnoreCase("auto") ? null
                : Flavour.fromId(declaredId);
        Optional<RuntimeInfo> host = detect(files);
        if (declared != null) {
            if (given != null && given.flavour().isContainerd() != declared.isContainerd()) {
                throw new InvalidSpecException("--runtime " + declared.id() + " contradicts --runtime-version "
                        + given.toRuntimeVersion() + ". Give one runtime, or use --runtime auto.");
            }
            if (host.isPresent() && host.get().flavour() != declared && isDistribution(host.get().flavour())) {
                throw new InvalidSpecException("The runtime was given as '" + declared.id() + "' but this host runs "
                        + host.get().flavour().id() + ". Configuring " + declared.id() + " here would write a file nobody"
                        + " reads. Use --runtime " + host.get().flavour().id() + " (or --runtime auto).");
            }
            if (given != null) {
                return new RuntimeInfo(declared, given.version());
            }
            if (host.isPresent()) {
                return new RuntimeInfo(declared, host.get().version());
            }
            throw new InvalidSpecException("The runtime was given as '" + declared.id() + "' but its version cannot be read"
                    + " from the host under " + hostRoot + ". Give it with --runtime-version (e.g. containerd://1.7.22).");
        }
        if (given != null) {
            if (host.isPresent() && given.flavour().isContainerd() && isDistribution(host.get().flavour())) {
                return new RuntimeInfo(host.get().flavour(), given.version());
            }
            return given;
        }
        return host.orElseThrow(() -> new InvalidSpecException("Cannot tell which container runtime runs on the host under "
                + hostRoot + ": no configurer (" + registry.configurers().stream().map(CriConfigurator::id).toList()
                + ") recognises its files. Check --host-root, or give --runtime and --runtime-version (e.g. containerd://1.7.22)."));
    }

    /**
     * The configurer the request names, {@code null} when it names none.
     *
     * @throws InvalidSpecException when no configurer has that id (exit 2)
     */
    private @Nullable CriConfigurator named(@Nullable String id) {
        if (id == null) {
            return null;
        }
        return registry.configurers().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new InvalidSpecException("--runtime '" + id + "' is neither a built-in runtime"
                        + " (containerd, crio, k3s, rke2, k0s, microk8s) nor the id of a configurer "
                        + registry.configurers().stream().map(CriConfigurator::id).toList() + ". Add the configurer's jar"
                        + " with --plugin-path, or use --runtime auto."));
    }

    /** The runtime a named configurer works with: the given one, else what it or any configurer detects on the host. */
    private RuntimeInfo runtimeFor(CriConfigurator configurer, @Nullable RuntimeInfo given, NodeFiles files) {
        if (given != null) {
            return given;
        }
        return configurer.detect(files).or(() -> detect(files)).orElseThrow(() -> new InvalidSpecException(
                "The configurer '" + configurer.id() + "' cannot tell the runtime's version from the host under "
                + hostRoot + ". Give it with --runtime-version (e.g. containerd://1.7.22)."));
    }

    private Optional<RuntimeInfo> detect(NodeFiles files) {
        for (CriConfigurator c : registry.configurers()) {
            Optional<RuntimeInfo> found = c.detect(files);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static boolean isDistribution(Flavour f) {
        return f != Flavour.CONTAINERD && f != Flavour.CRIO;
    }

    private static PlanContext context(HostRoot root, DeploySpec spec, RuntimeInfo runtime, boolean force) {
        return new PlanContext(root, spec, runtime, InstallRecords.baselinesFor(root, spec.instance()), force);
    }

    private PlanApplier applier(HostRoot root) {
        return PlanApplier.builder(root)
                .commandRunner(commandRunner != null ? commandRunner : defaultRunner(root))
                .lockTimeout(lockTimeout)
                .build();
    }

    /**
     * Stops and disables the units whose unit files the plan removes (the nydus snapshotter on cleanup), right before the
     * plan is applied; without {@link HostUnits} this becomes a warning.
     */
    private void stopUnits(ConfigPlan plan, List<String> warnings) {
        UnitActions actions = UnitActions.of(plan);
        if (actions.stopBefore().isEmpty()) {
            return;
        }
        if (units == null) {
            warnings.add("Units " + actions.stopBefore() + " lose their unit files, but no host units port is configured."
                    + " Stop them with 'systemctl disable --now'.");
            return;
        }
        actions.runBefore(units);
    }

    /**
     * After the plan was applied: reloads systemd when a unit file changed and enables and (re)starts the units the plan
     * wrote or reconfigured (the nydus snapshotter), before the CRI restart; without {@link HostUnits} a warning.
     */
    private void startUnits(ConfigPlan plan, ApplyResult applied, List<String> warnings) {
        if (applied.changedPaths().isEmpty()) {
            return;
        }
        UnitActions actions = UnitActions.of(plan);
        if (!actions.reload() && actions.startAfter().isEmpty()) {
            return;
        }
        if (units == null) {
            warnings.add("Unit files changed " + actions.startAfter() + ", but no host units port is configured. Run"
                    + " 'systemctl daemon-reload' and start them.");
            return;
        }
        actions.runAfter(units);
    }

    /** Restarts the plan's unit when the applied plan requires it; true when it did. */
    private boolean restart(ConfigPlan plan, ApplyResult applied, boolean noRestart, List<String> warnings) {
        String unit = plan.restartUnit();
        if (!applied.restartRequired() || unit == null) {
            return false;
        }
        if (noRestart) {
            warnings.add("The configuration of " + unit + " changed; it was not restarted (no restart asked for). Restart it"
                    + " for the change to take effect.");
            return false;
        }
        if (restarter == null) {
            warnings.add("The configuration of " + unit + " changed, but no unit restarter is configured. Restart " + unit
                    + " for the change to take effect.");
            return false;
        }
        Log.LOG.log(System.Logger.Level.DEBUG, () -> "restarting " + unit + " after changing " + applied.changedPaths());
        restarter.restart(unit);
        return true;
    }

    /** Maps the node paths of a validation command under the host root when it is not {@code /}. */
    private static CommandRunner defaultRunner(HostRoot root) {
        CommandRunner processes = CommandRunner.processes();
        if (root.path().getNameCount() == 0) {
            return processes;
        }
        return argv -> {
            List<String> mapped = new ArrayList<>();
            for (String a : argv) {
                mapped.add(a.startsWith("/") ? root.resolve(a).toString() : a);
            }
            return processes.run(mapped);
        };
    }

    private static Installer defaultInstaller() {
        return ServiceLoader.load(Installer.class, NodeDeployment.class.getClassLoader()).findFirst()
                .orElseGet(KataArtifactInstaller::new);
    }

    /** A warning when the handlers would point at shim binaries the host does not have. */
    /**
     * Work on a daemon thread whose result (or failure) is taken later. A failure of the work wins over a later one of the
     * caller ({@link #failureOr}), so errors keep the order they had when the work ran first.
     */
    private static final class Background<T> {
        private final FutureTask<T> task;

        private Background(Callable<T> work) {
            this.task = new FutureTask<>(work);
        }

        static <T> Background<T> start(Callable<T> work) {
            Background<T> b = new Background<>(work);
            Thread t = new Thread(b.task, "kdeploy-plan");
            t.setDaemon(true);
            t.start();
            return b;
        }

        /** The result; the work's unchecked exception is rethrown as it was thrown. */
        T get() {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KdeployException("Interrupted while planning the runtime configuration; nothing was written.", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                if (c instanceof Error) {
                    throw (Error) c;
                }
                throw new KdeployException("Planning the runtime configuration failed: " + c + ".", c);
            }
        }

        /** The work's failure, when it failed; else {@code other}. Waits for the work. */
        RuntimeException failureOr(RuntimeException other) {
            try {
                get();
                return other;
            } catch (RuntimeException failure) {
                return failure;
            }
        }
    }

    private static Optional<String> missingShims(NodeFiles files, DeploySpec spec) {
        KataLayout layout = new KataLayout(spec);
        List<String> missing = spec.shims().stream().map(layout::shimBinary).distinct()
                .filter(p -> files.read(p).isEmpty()).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("No artifacts were given and " + String.join(", ", missing) + " is not on the host: pods of the"
                + " registered handlers cannot start until the Kata artifacts are installed (pass --artifacts).");
    }

    /** Node paths of the Kata configuration files an artifact plan writes or removes. */
    private static List<String> kataConfigChanges(ArtifactPlan plan) {
        return plan.actions().stream()
                .filter(ArtifactAction::changesContent)
                .filter(a -> isKataConfig(a.path(), a.generated()))
                .map(a -> plan.nodeDest() + "/" + a.path())
                .toList();
    }

    private static boolean isKataConfig(String relative, boolean generated) {
        return generated || (relative.startsWith("share/defaults/kata-containers/") && relative.endsWith(".toml"));
    }

    /**
     * The artifact part of a dry run's diff: a unified diff for each generated Kata configuration, and {@code diff -r}-style
     * lines for copied files ({@code Only in b/opt/kata/bin: containerd-shim-kata-v2}, {@code Files a/… and b/… differ}).
     * Whether a copied file exists is one {@code lstat} under the plan's destination, which the planner resolved safely
     * (a tree of 2,000 files must not cost a path walk from the host root for each).
     */
    private static String artifactDiff(ArtifactPlan plan, HostRoot root) {
        StringBuilder lines = new StringBuilder();
        List<FileEdit> generated = new ArrayList<>();
        for (ArtifactAction a : plan.actions()) {
            if (!a.changesContent()) {
                continue;
            }
            String node = plan.nodeDest() + "/" + a.path();
            Bytes content = a.content();
            if (content != null) {
                Bytes before = root.read(node).orElse(null);
                generated.add(new FileEdit(node, before, content, before, a.mode(), List.of()));
            } else if (a.op() == ArtifactAction.Op.REMOVE) {
                lines.append("Only in a").append(parentOf(node)).append(": ").append(nameOf(node)).append('\n');
            } else if (Files.exists(plan.destination().resolve(a.path()), LinkOption.NOFOLLOW_LINKS)) {
                lines.append("Files a").append(node).append(" and b").append(node).append(" differ\n");
            } else {
                lines.append("Only in b").append(parentOf(node)).append(": ").append(nameOf(node)).append('\n');
            }
        }
        return new ConfigPlan(generated, null, null, List.of(), List.of()).toUnifiedDiff() + lines;
    }

    private static String parentOf(String nodePath) {
        int i = nodePath.lastIndexOf('/');
        return i <= 0 ? "/" : nodePath.substring(0, i);
    }

    private static String nameOf(String nodePath) {
        return nodePath.substring(nodePath.lastIndexOf('/') + 1);
    }

    /** The Kata configuration files of an install now on the host, from its artifact manifest (empty without one). */
    private static List<String> installedKataConfigs(HostRoot root, KataLayout layout) {
        return PendingArtifacts.manifestPaths(root, layout.dest()).stream()
                .filter(e -> isKataConfig(e.path(), e.generated()))
                .map(e -> layout.dest() + "/" + e.path())
                .toList();
    }

    /** The shim binaries and per-shim configurations that the in-use handlers need. */
    private static List<String> keptPaths(DeploySpec spec, Set<String> inUse) {
        KataLayout layout = new KataLayout(spec);
        Set<String> out = new LinkedHashSet<>();
        for (String shim : spec.shims()) {
            if (inUse.contains(spec.handler(shim))) {
                out.add(layout.shimBinary(shim));
                out.add(layout.configPath(shim));
            }
        }
        return List.copyOf(out);
    }

    /** Configures a {@link NodeDeployment}. */
    public static final class Builder {
        private final Path hostRoot;
        private @Nullable Kdeploy registry;
        private @Nullable Installer installer;
        private @Nullable CommandRunner commandRunner;
        private @Nullable UnitRestarter restarter;
        private @Nullable HostUnits units;
        private Duration lockTimeout = Duration.ofSeconds(60);
        private ProgressListener progress = ProgressListener.NONE;

        private Builder(Path hostRoot) {
            this.hostRoot = requireNonNull(hostRoot, "hostRoot");
        }

        /** The configurers to choose from (default: {@link Kdeploy#discover()}). */
        public Builder registry(Kdeploy value) {
            this.registry = requireNonNull(value, "registry");
            return this;
        }

        /** The artifact installer (default: the one {@link ServiceLoader} finds, else {@link KataArtifactInstaller}). */
        public Builder installer(Installer value) {
            this.installer = requireNonNull(value, "installer");
            return this;
        }

        /** How the runtime's validation command runs (default: a process, node paths mapped under the host root). */
        public Builder commandRunner(CommandRunner value) {
            this.commandRunner = requireNonNull(value, "commandRunner");
            return this;
        }

        /** How the runtime's unit is restarted (default: none; a needed restart becomes a warning). */
        public Builder restarter(UnitRestarter value) {
            this.restarter = requireNonNull(value, "restarter");
            return this;
        }

        /** How other host units (the nydus snapshotter) are started and stopped (default: none; needed steps become warnings). */
        public Builder units(HostUnits value) {
            this.units = requireNonNull(value, "units");
            return this;
        }

        /** How long to wait for the node lock (default 60 s). */
        public Builder lockTimeout(Duration value) {
            requireNonNull(value, "lockTimeout");
            if (value.isNegative()) {
                throw new IllegalArgumentException("lock timeout must not be negative: " + value);
            }
            this.lockTimeout = value;
            return this;
        }

        /** Told how the artifact install advances (default: nothing). */
        public Builder progress(ProgressListener value) {
            this.progress = requireNonNull(value, "progress");
            return this;
        }

        /** The deployment. */
        public NodeDeployment build() {
            return new NodeDeployment(this);
        }
    }

    @Override
    public String toString() {
        return "NodeDeployment[" + hostRoot + "]";
    }

    /**
     * The logger, created on first use: the first logger of a JVM sets up the logging back-end (~9 ms), which a run that
     * logs nothing, such as an unchanged re-install, need not pay on its main thread.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(NodeDeployment.class.getName());
    }
}
