package io.kdeploy.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.DaemonSetInfo;
import io.kdeploy.core.cleanup.NodeInfo;
import io.kdeploy.core.cleanup.NodeSelectorRequirement;
import io.kdeploy.core.cleanup.NodeSelectorTerm;
import io.kdeploy.core.cleanup.PodPlacement;
import io.kdeploy.core.cleanup.Taint;
import io.kdeploy.core.cleanup.Toleration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewsTest {

    private static final Path CLUSTER = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"), "cluster");

    private static DaemonSetInfo find(List<DaemonSet> list, String name) {
        return list.stream().filter(d -> d.getMetadata().getName().equals(name)).map(ClusterViews::daemonSet)
                .findFirst().orElseThrow();
    }

    @Test
    void mapsTheKataDeployPoolDaemonSet() {
        List<DaemonSet> list = KubeJson.readDaemonSets("--daemonsets", CLUSTER.resolve("daemonsets-pool.json"));
        DaemonSetInfo ds = find(list, "kata-deploy");
        assertThat(ds.namespace()).isEqualTo("kube-system");
        assertThat(ds.terminating()).isFalse();
        PodPlacement p = ds.placement();
        assertThat(p.nodeSelector()).containsExactly(Map.entry("katacontainers.io/kata-pool", "true"));
        assertThat(p.requiredTerms()).containsExactly(new NodeSelectorTerm(List.of(
                new NodeSelectorRequirement("kubernetes.io/arch", "In", List.of("amd64", "arm64")),
                new NodeSelectorRequirement("node-role.kubernetes.io/control-plane", "DoesNotExist", List.of())), List.of()));
        assertThat(p.tolerations()).containsExactly(
                new Toleration("katacontainers.io/dedicated", "Equal", "true", "NoSchedule"));
        assertThat(p.hostNetwork()).isFalse();

        DaemonSetInfo nightly = find(list, "kata-deploy-nightly");
        assertThat(nightly.placement().requiredTerms()).containsExactly(new NodeSelectorTerm(List.of(),
                List.of(new NodeSelectorRequirement("metadata.name", "In", List.of("worker-2")))));
    }

    @Test
    void mapsHostNetworkAndOperatorOnlyTolerations() {
        List<DaemonSet> list = KubeJson.readDaemonSets("--daemonsets", CLUSTER.resolve("daemonsets-single.json"));
        PodPlacement proxy = find(list, "kube-proxy").placement();
        assertThat(proxy.hostNetwork()).isTrue();
        assertThat(proxy.tolerations()).containsExactly(new Toleration("", "Exists", "", ""));
        assertThat(proxy.requiredTerms()).isNull();
        assertThat(find(list, "kata-deploy").placement()).isEqualTo(PodPlacement.ANYWHERE);
    }

    @Test
    void deletionTimestampMeansTerminating() {
        List<DaemonSet> list = KubeJson.readDaemonSets("--daemonsets", CLUSTER.resolve("daemonsets-terminating.json"));
        assertThat(find(list, "kata-deploy").terminating()).isTrue();
        assertThat(find(list, "kube-proxy").terminating()).isFalse();
    }

    @Test
    void mapsNodeLabelsAndTaints() {
        Node node = KubeJson.readNode("--node", CLUSTER.resolve("node-worker-1-notready.json"));
        NodeInfo info = ClusterViews.node(node);
        assertThat(info.name()).isEqualTo("worker-1");
        assertThat(info.labels()).containsEntry("kata-deploy.katacontainers.io/default", "true")
                .containsEntry("kubernetes.io/arch", "amd64");
        assertThat(info.taints()).containsExactly(new Taint("node.kubernetes.io/not-ready", "", "NoSchedule"),
                new Taint("node.kubernetes.io/not-ready", "", "NoExecute"));
    }

    @Test
    void knownBuildsTheWholeView() {
        ClusterView view = ClusterViews.known(
                KubeJson.readDaemonSets("--daemonsets", CLUSTER.resolve("daemonsets-multi.json")),
                KubeJson.readNode("--node", CLUSTER.resolve("node-worker-1.json")));
        assertThat(view.unknown()).isEmpty();
        assertThat(view.daemonSets()).extracting(DaemonSetInfo::name)
                .containsExactly("calico-node", "kata-deploy-nightly", "kata-deploy", "kube-proxy");
        assertThat(view.node()).isNotNull();
    }

    @Test
    void minimalObjectsFromTheBuildersMapToEmptyValues() {
        DaemonSet ds = new DaemonSetBuilder().withNewMetadata().withName("x").withNamespace("ns").endMetadata().build();
        assertThat(ClusterViews.daemonSet(ds)).isEqualTo(new DaemonSetInfo("ns", "x", false, PodPlacement.ANYWHERE));
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().build();
        assertThat(ClusterViews.node(node)).isEqualTo(new NodeInfo("n", Map.of(), List.of()));
    }

    @Test
    void missingNamesAreRejected() {
        assertThatThrownBy(() -> ClusterViews.daemonSet(new DaemonSet()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.name");
        assertThatThrownBy(() -> ClusterViews.node(new Node()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.name");
    }
}
