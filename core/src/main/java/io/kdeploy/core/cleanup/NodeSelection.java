package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether a DaemonSet's pod template would be placed on a node, as the DaemonSet controller decides it: the
 * {@code nodeSelector}, the required node affinity, and the node's {@code NoSchedule}/{@code NoExecute} taints against the
 * template's tolerations plus those the controller adds to every daemon pod ({@link #DAEMON_TOLERATIONS}), so a cordoned
 * node is still selected.
 *
 * <p>One deliberate difference from the controller: the condition taints {@code node.kubernetes.io/not-ready} and
 * {@code node.kubernetes.io/unreachable} are tolerated with every effect ({@link #CONDITION_TOLERATIONS}). A NotReady node
 * carries them as {@code NoSchedule} too; the controller then keeps the running daemon pod (it tolerates the
 * {@code NoExecute} form) and recreates a deleted one as soon as the condition clears. The DaemonSet has not let go of such a
 * node, so a cleanup there must not count it as deselected. Pure and thread-safe.
 */
public final class NodeSelection {

    /** The only field a {@code matchFields} requirement may name. */
    public static final String NODE_NAME_FIELD = "metadata.name";

    /** Tolerations the DaemonSet controller adds to every daemon pod. */
    public static final List<Toleration> DAEMON_TOLERATIONS = List.of(
            exists("node.kubernetes.io/not-ready", "NoExecute"),
            exists("node.kubernetes.io/unreachable", "NoExecute"),
            exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
            exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
            exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
            exists("node.kubernetes.io/unschedulable", "NoSchedule"));

    /** The node-condition taints a daemon pod outlives: not-ready and unreachable with every effect (see the class comment). */
    public static final List<Toleration> CONDITION_TOLERATIONS = List.of(
            exists("node.kubernetes.io/not-ready", ""),
            exists("node.kubernetes.io/unreachable", ""));

    /** The toleration the DaemonSet controller adds to daemon pods that use the host network. */
    public static final Toleration HOST_NETWORK_TOLERATION = exists("node.kubernetes.io/network-unavailable", "NoSchedule");

    private NodeSelection() {}

    /**
     * Whether the placement selects the node: exactly when {@link #mismatch} is empty, without building the explanation.
     * For many placements against one node, {@link ForNode} does the node's part once.
     */
    public static boolean selects(PodPlacement placement, NodeInfo node) {
        requireNonNull(placement, "placement");
        return new ForNode(node).selects(placement);
    }

    /**
     * {@link #selects} for many placements against one node (a cleanup decision asks it of every kata-deploy DaemonSet in
     * the cluster). What depends on the node alone is worked out once: its {@code NoSchedule}/{@code NoExecute} taints that
     * neither the controller's daemon tolerations nor the condition tolerations cover, and which of those the host-network
     * toleration covers. A placement then only needs its own tolerations checked. Indexed loops and no {@link Optional}:
     * nothing is allocated per placement.
     */
    static final class ForNode {
        private final NodeInfo node;
        private final List<Taint> open;
        private final List<Boolean> hostNetworkTolerates;

        ForNode(NodeInfo node) {
            this.node = requireNonNull(node, "node");
            List<Taint> taints = new ArrayList<>();
            List<Boolean> hostNetwork = new ArrayList<>();
            for (Taint taint : node.taints()) {
                if (blocks(taint) && !toleratedBy(DAEMON_TOLERATIONS, taint) && !toleratedBy(CONDITION_TOLERATIONS, taint)) {
                    taints.add(taint);
                    hostNetwork.add(tolerates(HOST_NETWORK_TOLERATION, taint));
                }
            }
            this.open = List.copyOf(taints);
            this.hostNetworkTolerates = List.copyOf(hostNetwork);
        }

        boolean selects(PodPlacement placement) {
            Map<String, String> selector = placement.nodeSelector();
            if (!selector.isEmpty()) {
                Map<String, String> labels = node.labels();
                for (Map.Entry<String, String> e : selector.entrySet()) {
                    if (!e.getValue().equals(labels.get(e.getKey()))) {
                        return false;
                    }
                }
            }
            List<NodeSelectorTerm> terms = placement.requiredTerms();
            if (terms != null && !matchesAnyTerm(terms, node)) {
                return false;
            }
            for (int i = 0; i < open.size(); i++) {
                if (!(placement.hostNetwork() && hostNetworkTolerates.get(i))
                        && !toleratedBy(placement.tolerations(), open.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Why the placement does not select the node, as one phrase for a human (e.g.
     * {@code nodeSelector katacontainers.io/pool=kata does not match: the node has no label katacontainers.io/pool}), or empty
     * when it selects the node.
     */
    public static Optional<String> mismatch(PodPlacement placement, NodeInfo node) {
        requireNonNull(placement, "placement");
        requireNonNull(node, "node");
        String failedKey = null;
        for (Map.Entry<String, String> e : placement.nodeSelector().entrySet()) {
            // Report the first failing key in key order: the map's own order changes from one JVM to the next.
            if (!e.getValue().equals(node.labels().get(e.getKey()))
                    && (failedKey == null || e.getKey().compareTo(failedKey) < 0)) {
                failedKey = e.getKey();
            }
        }
        if (failedKey != null) {
            String actual = node.labels().get(failedKey);
            return Optional.of("nodeSelector " + failedKey + "=" + placement.nodeSelector().get(failedKey) + " does not match: "
                    + (actual == null ? "the node has no label " + failedKey : "the node has " + failedKey + "=" + actual));
        }
        List<NodeSelectorTerm> terms = placement.requiredTerms();
        if (terms != null && !matchesAnyTerm(terms, node)) {
            return Optional.of(terms.isEmpty()
                    ? "its required node affinity has no terms, which selects no node"
                    : "none of its " + terms.size() + " required node affinity term(s) matches the node's labels and name");
        }
        for (Taint taint : node.taints()) {
            if (blocks(taint) && !tolerated(placement, taint)) {
                return Optional.of("the node's taint " + describe(taint) + " is not tolerated");
            }
        }
        return Optional.empty();
    }

    /** Whether at least one term matches (terms are ORed); an empty list matches nothing. */
    public static boolean matchesAnyTerm(List<NodeSelectorTerm> terms, NodeInfo node) {
        for (int i = 0; i < terms.size(); i++) {
            if (matches(terms.get(i), node)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every expression and field requirement of the term matches (ANDed); an empty term matches nothing. */
    public static boolean matches(NodeSelectorTerm term, NodeInfo node) {
        if (term.matchExpressions().isEmpty() && term.matchFields().isEmpty()) {
            return false;
        }
        List<NodeSelectorRequirement> expressions = term.matchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            NodeSelectorRequirement r = expressions.get(i);
            if (!matchesValue(r, node.labels().get(r.key()))) {
                return false;
            }
        }
        List<NodeSelectorRequirement> fields = term.matchFields();
        for (int i = 0; i < fields.size(); i++) {
            NodeSelectorRequirement r = fields.get(i);
            if (!NODE_NAME_FIELD.equals(r.key()) || !matchesValue(r, node.name())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether one requirement matches a label (or field) map: {@code In}, {@code NotIn} (also true when the key is absent),
     * {@code Exists}, {@code DoesNotExist}, {@code Gt} and {@code Lt} (the value and the single operand are integers). An
     * unknown operator matches nothing.
     */
    public static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
        return matchesValue(r, labels.get(r.key()));
    }

    /** {@link #matches(NodeSelectorRequirement, Map)} for the value of the requirement's key ({@code null}: absent). */
    private static boolean matchesValue(NodeSelectorRequirement r, @Nullable String value) {
        switch (r.operator()) {
            case "In":
                return value != null && r.values().contains(value);
            case "NotIn":
                return value == null || !r.values().contains(value);
            case "Exists":
                return value != null;
            case "DoesNotExist":
                return value == null;
            case "Gt":
            case "Lt":
                Long actual = value == null ? null : parse(value);
                Long operand = r.values().size() == 1 ? parse(r.values().get(0)) : null;
                if (actual == null || operand == null) {
                    return false;
                }
                return "Gt".equals(r.operator()) ? actual > operand : actual < operand;
            default:
                return false;
        }
    }

    /** Whether one toleration tolerates one taint: key (empty key matches every key), effect (empty matches all) and operator. */
    public static boolean tolerates(Toleration t, Taint taint) {
        if (!t.effect().isEmpty() && !t.effect().equals(taint.effect())) {
            return false;
        }
        if (!t.key().isEmpty() && !t.key().equals(taint.key())) {
            return false;
        }
        switch (t.operator()) {
            case "Exists":
                return true;
            case "":
            case "Equal":
                return t.value().equals(taint.value());
            default:
                return false;
        }
    }

    /**
     * The tolerations this check applies for a placement: the template's own, those the controller adds to daemon pods,
     * and the node-condition tolerations.
     */
    public static List<Toleration> effectiveTolerations(PodPlacement placement) {
        List<Toleration> all = new ArrayList<>(placement.tolerations());
        all.addAll(DAEMON_TOLERATIONS);
        all.addAll(CONDITION_TOLERATIONS);
        if (placement.hostNetwork()) {
            all.add(HOST_NETWORK_TOLERATION);
        }
        return all;
    }

    /** Whether a daemon pod must tolerate the taint to be placed: {@code NoSchedule} and {@code NoExecute} taints. */
    private static boolean blocks(Taint taint) {
        return "NoSchedule".equals(taint.effect()) || "NoExecute".equals(taint.effect());
    }

    /** Whether one of {@link #effectiveTolerations} tolerates the taint, without building that list. */
    private static boolean tolerated(PodPlacement placement, Taint taint) {
        return toleratedBy(placement.tolerations(), taint) || toleratedBy(DAEMON_TOLERATIONS, taint)
                || toleratedBy(CONDITION_TOLERATIONS, taint)
                || (placement.hostNetwork() && tolerates(HOST_NETWORK_TOLERATION, taint));
    }

    private static boolean toleratedBy(List<Toleration> tolerations, Taint taint) {
        for (int i = 0; i < tolerations.size(); i++) {
            if (tolerates(tolerations.get(i), taint)) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable Long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Taint t) {
        return t.key() + (t.value().isEmpty() ? "" : "=" + t.value()) + ":" + t.effect();
    }

    private static Toleration exists(String key, String effect) {
        return new Toleration(key, "Exists", "", effect);
    }
}
