package io.kdeploy.core.cleanup;

import static io.kdeploy.core.cleanup.Clusters.NIGHTLY;
import static io.kdeploy.core.cleanup.Clusters.SELF;
import static io.kdeploy.core.cleanup.Clusters.affinity;
import static io.kdeploy.core.cleanup.Clusters.ds;
import static io.kdeploy.core.cleanup.Clusters.fields;
import static io.kdeploy.core.cleanup.Clusters.hostNetwork;
import static io.kdeploy.core.cleanup.Clusters.node;
import static io.kdeploy.core.cleanup.Clusters.own;
import static io.kdeploy.core.cleanup.Clusters.req;
import static io.kdeploy.core.cleanup.Clusters.selector;
import static io.kdeploy.core.cleanup.Clusters.taint;
import static io.kdeploy.core.cleanup.Clusters.term;
import static io.kdeploy.core.cleanup.Clusters.terminating;
import static io.kdeploy.core.cleanup.Clusters.toleration;
import static io.kdeploy.core.cleanup.Clusters.tolerating;
import static io.kdeploy.core.cleanup.Clusters.unmarkedNode;
import static io.kdeploy.core.cleanup.Clusters.unrelated;
import static io.kdeploy.core.cleanup.Clusters.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.CleanupDecision;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every combination that matters, each with the decision of both built-in policies and the words their reasons must contain. */
class CleanupPolicyTableTest {

    private static final String SKIP = "SKIP";
    private static final String INSTANCE = "INSTANCE_ONLY";
    private static final String FULL = "FULL";

    private static final PodPlacement KATA_POOL = selector("katacontainers.io/pool", "kata");
    private static final DaemonSetInfo NIGHTLY_DS = ds("kata-nightly", "kata-deploy-nightly");

    /** Expected decision and the fragments its reason must contain. */
    record Expect(String decision, List<String> fragments) {
        static Expect of(String decision, String... fragments) {
            return new Expect(decision, List.of(fragments));
        }
    }

    /** One row: the view, who asks, and what each policy must say. */
    record Row(String name, ClusterView view, Self self, Expect threeStage, Expect nodeAware) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, ClusterView view, Expect threeStage, Expect nodeAware) {
        return new Row(name, view, SELF, threeStage, nodeAware);
    }

    private static Row row(String name, Self self, ClusterView view, Expect threeStage, Expect nodeAware) {
        return new Row(name, view, self, threeStage, nodeAware);
    }

    private static Expect skip(String... f) {
        return Expect.of(SKIP, f);
    }

    private static Expect instance(String... f) {
        return Expect.of(INSTANCE, f);
    }

    private static Expect full(String... f) {
        return Expect.of(FULL, f);
    }

    static Stream<Row> rows() {
        String restart = "pod restart";
        String selects = "still selects node worker-1";
        return Stream.of(
                // own DaemonSet present, selecting the node
                row("own present, alone", view(node(), own()),
                        skip("kube-system/kata-deploy still exists", restart), skip("kube-system/kata-deploy", selects)),
                row("own present among unrelated DaemonSets", view(node(), unrelated(), own()),
                        skip("kube-system/kata-deploy", restart), skip(selects)),
                row("own present, another install too", view(node(), own(), NIGHTLY_DS),
                        skip("kube-system/kata-deploy", restart), skip(selects)),
                row("own present, another install's mark true",
                        view(node(Map.of("kata-deploy.katacontainers.io/nightly", "true")), own()),
                        skip(restart), skip(selects)),

                // own DaemonSet terminating or absent, nobody else
                row("own terminating, alone", view(node(), terminating(own())),
                        full("kube-system/kata-deploy is being deleted", "no other non-terminating DaemonSet"),
                        full("kube-system/kata-deploy is being deleted", "no other install holds node worker-1")),
                row("own absent, no DaemonSets at all", view(node()),
                        full("kube-system/kata-deploy does not exist"), full("kube-system/kata-deploy does not exist")),
                row("own absent, only unrelated DaemonSets", view(node(), unrelated()),
                        full("does not exist", "in any namespace"), full("does not exist", "no other install holds")),
                row("own mark true is ignored", view(node(Map.of("kata-deploy.katacontainers.io/default", "true"))),
                        full("does not exist"), full("no other install holds node worker-1")),

                // other installs by DaemonSet
                row("own absent, other install selects the node", view(node(), unrelated(), NIGHTLY_DS),
                        instance("does not exist", "kata-nightly/kata-deploy-nightly"),
                        instance("another install holds node worker-1", "kata-nightly/kata-deploy-nightly")),
                row("own terminating, other install selects the node", view(node(), terminating(own()), NIGHTLY_DS),
                        instance("is being deleted", "kata-nightly/kata-deploy-nightly"),
                        instance("is being deleted", "kata-nightly/kata-deploy-nightly")),
                row("own absent, other install terminating", view(node(), terminating(NIGHTLY_DS)),
                        full("does not exist"), full("does not exist")),
                row("own absent, other install not selecting by nodeSelector",
                        view(node(), ds("kata-nightly", "kata-deploy-nightly", selector("pool", "gpu"))),
                        instance("kata-nightly/kata-deploy-nightly"), full("no other install holds node worker-1")),
                row("own absent, other install not selecting by affinity",
                        view(node(), ds("kata-nightly", "kata-deploy-nightly",
                                affinity(term(req("kubernetes.io/hostname", "In", "worker-2"))))),
                        instance("kata-nightly/kata-deploy-nightly"), full("no other install holds")),
                row("own absent, other install not selecting by taint",
                        view(node(taint("dedicated", "kata", "NoSchedule")), NIGHTLY_DS),
                        instance("kata-nightly/kata-deploy-nightly"), full("no other install holds")),
                row("own absent, other install tolerating the taint",
                        view(node(taint("dedicated", "kata", "NoSchedule")),
                                ds("kata-nightly", "kata-deploy-nightly",
                                        tolerating(toleration("dedicated", "Equal", "kata", "NoSchedule")))),
                        instance("kata-nightly/kata-deploy-nightly"), instance("kata-nightly/kata-deploy-nightly")),
                row("same name in another namespace is another install", view(node(), ds("default", "kata-deploy")),
                        instance("default/kata-deploy"), instance("default/kata-deploy", "another install holds")),
                row("same name in another namespace, terminating", view(node(), terminating(ds("default", "kata-deploy"))),
                        full("does not exist"), full("does not exist")),
                row("name containing kata-deploy counts", view(node(), ds("ci", "my-kata-deploy-canary")),
                        instance("ci/my-kata-deploy-canary"), instance("ci/my-kata-deploy-canary")),
                row("name without kata-deploy does not count", view(node(), ds("kube-system", "kata-runtime-installer")),
                        full("does not exist"), full("does not exist")),
                row("name match is case-sensitive", view(node(), ds("kube-system", "Kata-Deploy-old")),
                        full("does not exist"), full("does not exist")),
                row("many other installs are summarised",
                        view(node(), ds("a", "kata-deploy-1"), ds("b", "kata-deploy-2"), ds("c", "kata-deploy-3"),
                                ds("d", "kata-deploy-4"), ds("e", "kata-deploy-5")),
                        instance("a/kata-deploy-1, b/kata-deploy-2, c/kata-deploy-3 and 2 more"),
                        instance("a/kata-deploy-1, b/kata-deploy-2, c/kata-deploy-3 and 2 more")),

                // node marks
                row("other mark true", view(node(Map.of("kata-deploy.katacontainers.io/nightly", "true"))),
                        full("does not exist"), instance("node mark kata-deploy.katacontainers.io/nightly=true")),
                row("other mark false", view(node(Map.of("kata-deploy.katacontainers.io/nightly", "false"))),
                        full("does not exist"), full("released: kata-deploy.katacontainers.io/nightly=false")),
                row("other mark empty value holds", view(node(Map.of("kata-deploy.katacontainers.io/nightly", ""))),
                        full("does not exist"), instance("kata-deploy.katacontainers.io/nightly=")),
                row("other mark false, other DaemonSet selects",
                        view(node(Map.of("kata-deploy.katacontainers.io/nightly", "false")), NIGHTLY_DS),
                        instance("kata-nightly/kata-deploy-nightly"), instance("kata-nightly/kata-deploy-nightly")),
                row("two other marks, one true",
                        view(node(Map.of("kata-deploy.katacontainers.io/nightly", "false",
                                "kata-deploy.katacontainers.io/stable", "true"))),
                        full("does not exist"), instance("kata-deploy.katacontainers.io/stable=true")),
                row("suffixed install sees the default install's mark", NIGHTLY, view(node()),
                        full("kata-nightly/kata-deploy-nightly does not exist"),
                        instance("kata-deploy.katacontainers.io/default=true",
                                "node mark kata-deploy.katacontainers.io/nightly")),
                row("suffixed install ignores its own mark", NIGHTLY,
                        view(new NodeInfo("worker-1", Map.of("kata-deploy.katacontainers.io/nightly", "true"), List.of())),
                        full("does not exist"), full("no other install holds")),
                row("suffixed install, default install's DaemonSet present", NIGHTLY, view(unmarkedNode(), own()),
                        instance("kube-system/kata-deploy"), instance("kube-system/kata-deploy")),

                // legacy installs without marks
                row("legacy install without marks selects the node", view(unmarkedNode(), ds("kube-system", "kata-deploy-legacy")),
                        instance("kube-system/kata-deploy-legacy"), instance("kube-system/kata-deploy-legacy")),
                row("legacy install without marks on another pool",
                        view(unmarkedNode(), ds("kube-system", "kata-deploy-legacy", selector("pool", "other"))),
                        instance("kube-system/kata-deploy-legacy"), full("no other install holds")),

                // own DaemonSet present but deselecting the node
                row("own deselects by nodeSelector, label absent", view(node(), own(KATA_POOL)),
                        skip(restart),
                        full("no longer selects node worker-1",
                                "nodeSelector katacontainers.io/pool=kata does not match: the node has no label"
                                        + " katacontainers.io/pool")),
                row("own deselects by nodeSelector, other value",
                        view(node(Map.of("katacontainers.io/pool", "gpu")), own(KATA_POOL)),
                        skip(restart), full("the node has katacontainers.io/pool=gpu")),
                row("own nodeSelector matches", view(node(Map.of("katacontainers.io/pool", "kata")), own(KATA_POOL)),
                        skip(restart), skip(selects)),
                row("own deselects by affinity In",
                        view(node(), own(affinity(term(req("katacontainers.io/pool", "In", "kata", "kata-tee"))))),
                        skip(restart), full("no longer selects", "required node affinity term")),
                row("own affinity In matches",
                        view(node(Map.of("katacontainers.io/pool", "kata-tee")),
                                own(affinity(term(req("katacontainers.io/pool", "In", "kata", "kata-tee"))))),
                        skip(restart), skip(selects)),
                row("own deselects by matchFields metadata.name",
                        view(node(), own(affinity(fields(req("metadata.name", "NotIn", "worker-1"))))),
                        skip(restart), full("no longer selects")),
                row("own affinity: second term matches (terms ORed)",
                        view(node(), own(affinity(term(req("gpu", "Exists")),
                                fields(req("metadata.name", "In", "worker-1"))))),
                        skip(restart), skip(selects)),
                row("own affinity with an empty term selects nothing", view(node(), own(affinity(term()))),
                        skip(restart), full("none of its 1 required node affinity term")),
                row("own affinity with no terms selects nothing", view(node(), own(affinity())),
                        skip(restart), full("has no terms")),
                row("own deselects by NoSchedule taint", view(node(taint("dedicated", "gpu", "NoSchedule")), own()),
                        skip(restart), full("taint dedicated=gpu:NoSchedule is not tolerated")),
                row("own deselects by NoExecute taint", view(node(taint("maintenance", "", "NoExecute")), own()),
                        skip(restart), full("taint maintenance:NoExecute is not tolerated")),
                row("own tolerates the taint",
                        view(node(taint("dedicated", "gpu", "NoSchedule")),
                                own(tolerating(toleration("dedicated", "Exists", "", "")))),
                        skip(restart), skip(selects)),
                row("PreferNoSchedule taint does not deselect",
                        view(node(taint("dedicated", "gpu", "PreferNoSchedule")), own()), skip(restart), skip(selects)),
                row("cordoned node still selected",
                        view(node(taint("node.kubernetes.io/unschedulable", "", "NoSchedule")), own()),
                        skip(restart), skip(selects)),
                row("NotReady node still selected",
                        view(node(taint("node.kubernetes.io/not-ready", "", "NoSchedule"),
                                taint("node.kubernetes.io/not-ready", "", "NoExecute")), own()),
                        skip(restart), skip(selects)),
                row("unreachable node still selected",
                        view(node(taint("node.kubernetes.io/unreachable", "", "NoSchedule"),
                                taint("node.kubernetes.io/unreachable", "", "NoExecute")), own()),
                        skip(restart), skip(selects)),
                row("network-unavailable tolerated for host-network pods",
                        view(node(taint("node.kubernetes.io/network-unavailable", "", "NoSchedule")), own(hostNetwork())),
                        skip(restart), skip(selects)),
                row("network-unavailable deselects a pod-network DaemonSet",
                        view(node(taint("node.kubernetes.io/network-unavailable", "", "NoSchedule")), own()),
                        skip(restart), full("node.kubernetes.io/network-unavailable:NoSchedule is not tolerated")),
                row("own deselects, other install selects", view(node(), own(KATA_POOL), NIGHTLY_DS),
                        skip(restart), instance("no longer selects", "kata-nightly/kata-deploy-nightly")),
                row("own deselects, other mark true",
                        view(node(Map.of("kata-deploy.katacontainers.io/nightly", "true")), own(KATA_POOL)),
                        skip(restart), instance("no longer selects", "kata-deploy.katacontainers.io/nightly=true")),
                row("own deselects, other install deselects too, other mark false",
                        view(node(Map.of("kata-deploy.katacontainers.io/nightly", "false")), own(KATA_POOL),
                                ds("kata-nightly", "kata-deploy-nightly", KATA_POOL)),
                        skip(restart), full("no longer selects", "released: kata-deploy.katacontainers.io/nightly=false")),
                row("own terminating, other terminating, other mark true",
                        view(node(Map.of("kata-deploy.katacontainers.io/nightly", "true")), terminating(own()),
                                terminating(NIGHTLY_DS)),
                        full("is being deleted"), instance("kata-deploy.katacontainers.io/nightly=true")),

                // unknown state
                row("unknown: forbidden", ClusterView.unknown("GET daemonsets: 403 Forbidden"),
                        skip("unknown", "403 Forbidden"), skip("unknown", "403 Forbidden")),
                row("unknown: timeout", ClusterView.unknown("GET nodes/worker-1: timed out after 10s"),
                        skip("timed out after 10s", "never deleting on uncertainty"), skip("timed out after 10s")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void threeStage(Row row) {
        check(new ThreeStagePolicy().decide(row.view(), row.self()), row.threeStage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void nodeAware(Row row) {
        check(new NodeAwarePolicy().decide(row.view(), row.self()), row.nodeAware());
    }

    @Test
    void tableCoversEnoughCases() {
        assertThat(rows().count()).isGreaterThanOrEqualTo(40);
    }

    private static void check(CleanupDecision actual, Expect expected) {
        assertThat(actual.name()).as(actual.reason()).isEqualTo(expected.decision());
        for (String fragment : expected.fragments()) {
            assertThat(actual.reason()).contains(fragment);
        }
    }
}
