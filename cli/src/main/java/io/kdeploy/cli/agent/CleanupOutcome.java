package io.kdeploy.cli.agent;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.cluster.PodRef;
import io.kdeploy.core.deploy.CleanupReport;
import java.util.List;
import java.util.Set;

/**
 * What a cluster-aware cleanup did.
 *
 * @param policy the id of the policy that decided
 * @param decision what it decided, with the reason
 * @param podsInUse the running pods that still use this instance's handlers; their files were kept
 * @param handlersKept the handlers whose binaries and configurations were kept (all of them when the pods could not be listed)
 * @param labelsRemoved the node labels removed
 * @param report what was done on the host ({@link CleanupReport#nothing} for SKIP)
 */
public record CleanupOutcome(String policy, CleanupDecision decision, List<PodRef> podsInUse, Set<String> handlersKept,
        Set<String> labelsRemoved, CleanupReport report) {
    public CleanupOutcome {
        requireNonNull(policy, "policy");
        requireNonNull(decision, "decision");
        podsInUse = List.copyOf(requireNonNull(podsInUse, "podsInUse"));
        handlersKept = Set.copyOf(requireNonNull(handlersKept, "handlersKept"));
        labelsRemoved = Set.copyOf(requireNonNull(labelsRemoved, "labelsRemoved"));
        requireNonNull(report, "report");
    }

    /** Whether files were kept for running pods, so that a later cleanup must finish the removal. */
    public boolean removalPending() {
        return !handlersKept.isEmpty();
    }
}
