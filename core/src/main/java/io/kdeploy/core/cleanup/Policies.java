package io.kdeploy.core.cleanup;

import io.kdeploy.core.CleanupDecision;
import java.util.List;
import java.util.Optional;

/** What the built-in policies share: finding the own DaemonSet, naming DaemonSets in reasons, the unknown-view decision. */
final class Policies {
    /** The name fragment that marks a DaemonSet as a kata-deploy install. */
    static final String KATA_DEPLOY = "kata-deploy";

    /** How many names a reason lists before it summarises the rest. */
    private static final int MAX_LISTED = 3;

    private Policies() {}

    static CleanupDecision skipUnknown(String cause) {
        return new CleanupDecision.Skip("The cluster state is unknown (" + cause + "); never deleting on uncertainty,"
                + " so nothing is cleaned up.");
    }

    /** This install's DaemonSet: same namespace, exact name. */
    static Optional<DaemonSetInfo> own(ClusterView view, Self self) {
        for (DaemonSetInfo ds : view.daemonSets()) {
            if (isOwn(ds, self)) {
                return Optional.of(ds);
            }
        }
        return Optional.empty();
    }

    static boolean isOwn(DaemonSetInfo ds, Self self) {
        return ds.name().equals(self.daemonSetName()) && ds.namespace().equals(self.namespace());
    }

    static String qualified(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** {@code ns/a, ns/b, ns/c and 4 more}. */
    static String names(List<DaemonSetInfo> daemonSets) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(MAX_LISTED, daemonSets.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            DaemonSetInfo ds = daemonSets.get(i);
            sb.append(qualified(ds.namespace(), ds.name()));
        }
        if (daemonSets.size() > n) {
            sb.append(" and ").append(daemonSets.size() - n).append(" more");
        }
        return sb.toString();
    }
}
