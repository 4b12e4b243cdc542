package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.spi.CleanupPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kata-deploy's original three-stage rule (commit {@code b4b62417ed}): own DaemonSet exists and is not terminating → SKIP;
 * else any other non-terminating DaemonSet, in any namespace, whose name contains {@code kata-deploy} → INSTANCE_ONLY;
 * else FULL. It does not look at the node: a node that dropped out of the DaemonSet's selection is never cleaned, and an
 * install on another node pool keeps the shared label here forever. Kept for compatibility; {@link NodeAwarePolicy} is the default.
 */
public final class ThreeStagePolicy implements CleanupPolicy {

    /** This policy's id. */
    public static final String ID = "three-stage";

    /** Creates the policy; it holds no state. */
    public ThreeStagePolicy() {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CleanupDecision decide(ClusterView view, Self self) {
        requireNonNull(view, "view");
        requireNonNull(self, "self");
        Optional<String> unknown = view.unknown();
        if (unknown.isPresent()) {
            return Policies.skipUnknown(unknown.get());
        }
        Optional<DaemonSetInfo> own = Policies.own(view, self);
        String ownName = Policies.qualified(self.namespace(), self.daemonSetName());
        if (own.isPresent() && !own.get().terminating()) {
            return new CleanupDecision.Skip("DaemonSet " + ownName + " still exists and is not being deleted, so this is a"
                    + " pod restart; the replacement pod re-runs install.");
        }
        String ownState = own.isPresent() ? "is being deleted" : "does not exist";
        List<DaemonSetInfo> others = new ArrayList<>();
        for (DaemonSetInfo ds : view.daemonSets()) {
            if (!ds.terminating() && ds.name().contains(Policies.KATA_DEPLOY)) {
                others.add(ds);
            }
        }
        if (!others.isEmpty()) {
            return new CleanupDecision.InstanceOnly("DaemonSet " + ownName + " " + ownState + ", but other non-terminating"
                    + " kata-deploy DaemonSets exist: " + Policies.names(others) + "; removing only this install's files and"
                    + " keeping the shared label and the runtime running.");
        }
        return new CleanupDecision.Full("DaemonSet " + ownName + " " + ownState + " and no other non-terminating DaemonSet"
                + " whose name contains 'kata-deploy' exists in any namespace; removing everything.");
    }
}
