package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.spi.CleanupPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The default cleanup policy. SKIP when this install's DaemonSet exists, is not being deleted <em>and still selects this
 * node</em> ({@link NodeSelection}), since then the pod is only restarting. Otherwise INSTANCE_ONLY when another install holds
 * the node: a different non-terminating DaemonSet whose name contains {@code kata-deploy} selects it, or the node carries
 * another install's mark {@code kata-deploy.katacontainers.io/<other>} whose value is not {@code false}. Otherwise FULL.
 * An unknown view gives SKIP.
 */
public final class NodeAwarePolicy implements CleanupPolicy {

    /** This policy's id. */
    public static final String ID = "node-aware";

    /** The prefix of every install's node mark; the rest is the install's suffix or {@code default}. */
    public static final String MARK_PREFIX = "kata-deploy.katacontainers.io/";

    /** Creates the policy; it holds no state. */
    public NodeAwarePolicy() {}

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
        NodeInfo node = requireNonNull(view.node(), "a known view has a node");
        String ownName = Policies.qualified(self.namespace(), self.daemonSetName());
        Optional<DaemonSetInfo> own = Policies.own(view, self);
        String ownState;
        if (own.isEmpty()) {
            ownState = "does not exist";
        } else if (own.get().terminating()) {
            ownState = "is being deleted";
        } else {
            Optional<String> mismatch = NodeSelection.mismatch(own.get().placement(), node);
            if (mismatch.isEmpty()) {
                return new CleanupDecision.Skip("DaemonSet " + ownName + " still exists, is not being deleted and still"
                        + " selects node " + node.name() + ", so this is a pod restart; the replacement pod re-runs install.");
            }
            ownState = "no longer selects node " + node.name() + " (" + mismatch.get() + ")";
        }

        List<DaemonSetInfo> holders = new ArrayList<>();
        List<DaemonSetInfo> elsewhere = new ArrayList<>();
        NodeSelection.ForNode selection = new NodeSelection.ForNode(node);
        List<DaemonSetInfo> daemonSets = view.daemonSets();
        for (int i = 0; i < daemonSets.size(); i++) {
            DaemonSetInfo ds = daemonSets.get(i);
            if (!Policies.isOwn(ds, self) && !ds.terminating() && ds.name().contains(Policies.KATA_DEPLOY)) {
                (selection.selects(ds.placement()) ? holders : elsewhere).add(ds);
            }
        }
        Map<String, String> heldMarks = new TreeMap<>();
        Map<String, String> releasedMarks = new TreeMap<>();
        for (Map.Entry<String, String> label : node.labels().entrySet()) {
            String key = label.getKey();
            if (key.startsWith(MARK_PREFIX) && !key.equals(self.nodeMarkLabel())) {
                ("false".equals(label.getValue()) ? releasedMarks : heldMarks).put(key, label.getValue());
            }
        }

        String head = "DaemonSet " + ownName + " " + ownState;
        if (!holders.isEmpty() || !heldMarks.isEmpty()) {
            List<String> by = new ArrayList<>();
            if (!holders.isEmpty()) {
                by.add("DaemonSet " + Policies.names(holders) + " (non-terminating, selects the node)");
            }
            if (!heldMarks.isEmpty()) {
                by.add("node mark " + labels(heldMarks));
            }
            return new CleanupDecision.InstanceOnly(head + ", but another install holds node " + node.name() + ": "
                    + String.join("; ", by) + ". Removing only this install's files, config entries and node mark "
                    + self.nodeMarkLabel() + "; keeping the shared label.");
        }
        return new CleanupDecision.Full(head + ", and no other install holds node " + node.name() + ": no other"
                + " non-terminating DaemonSet whose name contains 'kata-deploy' selects it"
                + (elsewhere.isEmpty() ? "" : " (" + notSelecting(elsewhere, node) + ")")
                + " and the node carries no other install's mark " + MARK_PREFIX + "* with a value other than 'false'"
                + (releasedMarks.isEmpty() ? "" : " (released: " + labels(releasedMarks) + ")")
                + ". Removing everything, including the shared label.");
    }

    /** {@code ns/a does not select it: <why>; …}, at most three. */
    private static String notSelecting(List<DaemonSetInfo> daemonSets, NodeInfo node) {
        List<String> parts = new ArrayList<>();
        for (DaemonSetInfo ds : daemonSets.subList(0, Math.min(3, daemonSets.size()))) {
            parts.add(Policies.qualified(ds.namespace(), ds.name()) + ": "
                    + NodeSelection.mismatch(ds.placement(), node).orElse("selects it"));
        }
        if (daemonSets.size() > parts.size()) {
            parts.add("and " + (daemonSets.size() - parts.size()) + " more");
        }
        return String.join("; ", parts);
    }

    private static String labels(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }
}
