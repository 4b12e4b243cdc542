package io.kdeploy.cli.kube;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.DaemonSetInfo;
import io.kdeploy.core.cleanup.NodeInfo;
import io.kdeploy.core.cleanup.NodeSelectorRequirement;
import io.kdeploy.core.cleanup.NodeSelectorTerm;
import io.kdeploy.core.cleanup.PodPlacement;
import io.kdeploy.core.cleanup.Taint;
import io.kdeploy.core.cleanup.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Maps fabric8's {@link DaemonSet} and {@link Node} (as read from the API server or from {@code kubectl … -o json}) to the
 * records the cleanup policies decide on. Pure; absent optional fields become empty values, absent required ones
 * ({@code metadata.name}, a DaemonSet's {@code metadata.namespace}) are an {@link IllegalArgumentException} naming the object.
 */
public final class ClusterViews {

    private ClusterViews() {}

    /** A complete view of the cluster: every DaemonSet (all namespaces) and this node. */
    public static ClusterView known(List<DaemonSet> daemonSets, Node node) {
        requireNonNull(daemonSets, "daemonSets");
        List<DaemonSetInfo> infos = new ArrayList<>(daemonSets.size());
        for (DaemonSet ds : daemonSets) {
            infos.add(daemonSet(ds));
        }
        return ClusterView.known(infos, node(node));
    }

    /** What the cleanup decision needs of one DaemonSet: identity, whether it is being deleted, and its pod placement. */
    public static DaemonSetInfo daemonSet(DaemonSet ds) {
        requireNonNull(ds, "ds");
        ObjectMeta meta = ds.getMetadata();
        if (meta == null || isBlank(meta.getName())) {
            throw new IllegalArgumentException("A DaemonSet has no metadata.name; every DaemonSet the API returns has one.");
        }
        String name = meta.getName();
        if (isBlank(meta.getNamespace())) {
            throw new IllegalArgumentException("DaemonSet '" + name + "' has no metadata.namespace; list DaemonSets with"
                    + " 'kubectl get daemonsets -A -o json' so that every item carries its namespace.");
        }
        boolean terminating = meta.getDeletionTimestamp() != null;
        return new DaemonSetInfo(meta.getNamespace(), name, terminating, placement(podSpec(ds)));
    }

    /** What the cleanup decision needs of a node: its name, labels and taints. */
    public static NodeInfo node(Node node) {
        requireNonNull(node, "node");
        ObjectMeta meta = node.getMetadata();
        if (meta == null || isBlank(meta.getName())) {
            throw new IllegalArgumentException("The Node has no metadata.name; pass the output of 'kubectl get node NAME -o json'.");
        }
        List<Taint> taints = new ArrayList<>();
        if (node.getSpec() != null) {
            for (io.fabric8.kubernetes.api.model.Taint t : nonNull(node.getSpec().getTaints())) {
                taints.add(new Taint(orEmpty(t.getKey()), orEmpty(t.getValue()), orEmpty(t.getEffect())));
            }
        }
        return new NodeInfo(meta.getName(), nonNull(meta.getLabels()), taints);
    }

    /** The placement of a pod template: nodeSelector, required node affinity, tolerations and host networking. */
    public static PodPlacement placement(@Nullable PodSpec spec) {
        if (spec == null) {
            return PodPlacement.ANYWHERE;
        }
        List<Toleration> tolerations = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Toleration t : nonNull(spec.getTolerations())) {
            String operator = isBlank(t.getOperator()) ? "Equal" : t.getOperator();
            tolerations.add(new Toleration(orEmpty(t.getKey()), operator, orEmpty(t.getValue()), orEmpty(t.getEffect())));
        }
        return new PodPlacement(
                nonNull(spec.getNodeSelector()),
                requiredTerms(spec.getAffinity()),
                tolerations,
                Boolean.TRUE.equals(spec.getHostNetwork()));
    }

    private static @Nullable PodSpec podSpec(DaemonSet ds) {
        DaemonSetSpec spec = ds.getSpec();
        PodTemplateSpec template = spec == null ? null : spec.getTemplate();
        return template == null ? null : template.getSpec();
    }

    private static @Nullable List<NodeSelectorTerm> requiredTerms(@Nullable Affinity affinity) {
        NodeAffinity nodeAffinity = affinity == null ? null : affinity.getNodeAffinity();
        NodeSelector required = nodeAffinity == null ? null : nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null) {
            return null;
        }
        List<NodeSelectorTerm> terms = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.NodeSelectorTerm t : nonNull(required.getNodeSelectorTerms())) {
            terms.add(new NodeSelectorTerm(requirements(t.getMatchExpressions()), requirements(t.getMatchFields())));
        }
        return terms;
    }

    private static List<NodeSelectorRequirement> requirements(
            @Nullable List<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> in) {
        return map(nonNull(in), r -> new NodeSelectorRequirement(
                orEmpty(r.getKey()), orEmpty(r.getOperator()), nonNull(r.getValues())));
    }

    private static <A, B> List<B> map(List<A> in, Function<A, B> f) {
        List<B> out = new ArrayList<>(in.size());
        for (A a : in) {
            out.add(f.apply(a));
        }
        return out;
    }

    private static <T> List<T> nonNull(@Nullable List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> nonNull(@Nullable Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    private static boolean isBlank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
