package io.kdeploy.cli.agent;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.deploy.CleanupReport;
import io.kdeploy.core.deploy.InstallReport;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A host side that records what the agent asks of it; the install may be held in the middle to deliver SIGTERM there. */
final class FakeHost implements NodeHost {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> handlers;
    private volatile @Nullable CleanupDecision pending;
    private volatile @Nullable KdeployException installFailure;
    private final CountDownLatch installEntered = new CountDownLatch(1);
    private volatile CountDownLatch installRelease = new CountDownLatch(0);

    FakeHost(String... handlers) {
        this.handlers = List.of(handlers);
    }

    FakeHost holdInstall() {
        installRelease = new CountDownLatch(1);
        return this;
    }

    FakeHost failInstall(KdeployException e) {
        installFailure = e;
        return this;
    }

    FakeHost pending(CleanupDecision d) {
        pending = d;
        return this;
    }

    void awaitInstallEntered() throws InterruptedException {
        if (!installEntered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("install was not entered");
        }
    }

    void releaseInstall() {
        installRelease.countDown();
    }

    @Override
    public List<String> handlers() {
        return handlers;
    }

    @Override
    public InstallReport install(Runnable checkpoint) {
        calls.add("install");
        installEntered.countDown();
        try {
            installRelease.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        KdeployException failure = installFailure;
        if (failure != null) {
            throw failure;
        }
        checkpoint.run();
        calls.add("installed");
        return new InstallReport(List.of("/etc/containerd/config.toml"), 2, true, true, handlers, "", List.of(),
                RuntimeInfo.parse("containerd://1.7.24"));
    }

    @Override
    public CleanupReport cleanup(CleanupDecision decision, Set<String> handlersInUse) {
        calls.add("cleanup " + decision.name() + " keep " + new TreeSet<>(handlersInUse));
        pending = handlersInUse.isEmpty() ? null : decision;
        return new CleanupReport(decision, List.of("/etc/containerd/config.toml"), 2, true,
                decision instanceof CleanupDecision.Full, List.of(), List.of(), "");
    }

    @Override
    public Optional<CleanupDecision> pendingCleanup() {
        return Optional.ofNullable(pending);
    }
}
