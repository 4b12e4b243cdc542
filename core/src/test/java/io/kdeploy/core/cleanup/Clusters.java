package io.kdeploy.core.cleanup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for cluster views in tests. */
final class Clusters {
    static final String NODE = "worker-1";
    static final Self SELF = new Self("kube-system", "kata-deploy", "");
    static final Self NIGHTLY = new Self("kata-nightly", "kata-deploy-nightly", "nightly");

    private Clusters() {}

    static DaemonSetInfo ds(String namespace, String name) {
        return new DaemonSetInfo(namespace, name, false, PodPlacement.ANYWHERE);
    }

    static DaemonSetInfo ds(String namespace, String name, PodPlacement placement) {
        return new DaemonSetInfo(namespace, name, false, placement);
    }

    static DaemonSetInfo own() {
        return ds(SELF.namespace(), SELF.daemonSetName());
    }

    static DaemonSetInfo own(PodPlacement placement) {
        return ds(SELF.namespace(), SELF.daemonSetName(), placement);
    }

    static DaemonSetInfo terminating(DaemonSetInfo ds) {
        return new DaemonSetInfo(ds.namespace(), ds.name(), true, ds.placement());
    }

    /** kube-proxy, calico-node and node-exporter: DaemonSets every cluster has and no policy may count. */
    static List<DaemonSetInfo> unrelated() {
        return List.of(ds("kube-system", "kube-proxy"), ds("calico-system", "calico-node"),
                ds("monitoring", "prometheus-node-exporter"));
    }

    static PodPlacement selector(String key, String value) {
        return new PodPlacement(Map.of(key, value), null, List.of(), false);
    }

    static PodPlacement affinity(NodeSelectorTerm... terms) {
        return new PodPlacement(Map.of(), List.of(terms), List.of(), false);
    }

    static PodPlacement tolerating(Toleration... tolerations) {
        return new PodPlacement(Map.of(), null, List.of(tolerations), false);
    }

    static PodPlacement hostNetwork() {
        return new PodPlacement(Map.of(), null, List.of(), true);
    }

    static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
        return new NodeSelectorTerm(List.of(expressions), List.of());
    }

    static NodeSelectorTerm fields(NodeSelectorRequirement... fields) {
        return new NodeSelectorTerm(List.of(), List.of(fields));
    }

    static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, List.of(values));
    }

    static Toleration toleration(String key, String operator, String value, String effect) {
        return new Toleration(key, operator, value, effect);
    }

    static Taint taint(String key, String value, String effect) {
        return new Taint(key, value, effect);
    }

    /** A Ready node with the usual labels, the shared label and this install's own mark, plus {@code extra} labels. */
    static NodeInfo node(Map<String, String> extra, Taint... taints) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", NODE);
        labels.put("kubernetes.io/os", "linux");
        labels.put("katacontainers.io/kata-runtime", "true");
        labels.put("kata-deploy.katacontainers.io/default", "true");
        labels.putAll(extra);
        return new NodeInfo(NODE, labels, Arrays.asList(taints));
    }

    static NodeInfo node(Taint... taints) {
        return node(Map.of(), taints);
    }

    /** A node without any kata-deploy mark (installed by a release that did not write marks). */
    static NodeInfo unmarkedNode() {
        return new NodeInfo(NODE, Map.of("kubernetes.io/hostname", NODE, "katacontainers.io/kata-runtime", "true"), List.of());
    }

    static ClusterView view(NodeInfo node, DaemonSetInfo... daemonSets) {
        return ClusterView.known(List.of(daemonSets), node);
    }

    static ClusterView view(NodeInfo node, List<DaemonSetInfo> base, DaemonSetInfo... more) {
        List<DaemonSetInfo> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return ClusterView.known(all, node);
    }
}
