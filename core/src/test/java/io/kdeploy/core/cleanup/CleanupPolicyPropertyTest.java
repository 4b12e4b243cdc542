package io.kdeploy.core.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.CleanupDecision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/** Properties of the built-in policies over random cluster views. */
@StatisticsReport(onFailureOnly = true)
class CleanupPolicyPropertyTest {

    private static final Self SELF = new Self("kube-system", "kata-deploy", "");
    private final ThreeStagePolicy threeStage = new ThreeStagePolicy();
    private final NodeAwarePolicy nodeAware = new NodeAwarePolicy();

    @Property
    void threeStageNeverFullWhileAnotherKataDeployDaemonSetLives(@ForAll("views") ClusterView view) {
        boolean anotherLives = view.daemonSets().stream()
                .anyMatch(ds -> !ds.terminating() && ds.name().contains("kata-deploy"));
        CleanupDecision d = threeStage.decide(view, SELF);
        Statistics.label("another kata-deploy DaemonSet lives").collect(anotherLives)
                .coverage(c -> c.check(true).percentage(p -> p > 20));
        if (anotherLives) {
            assertThat(d).isNotInstanceOf(CleanupDecision.Full.class);
        }
    }

    @Property
    void bothSkipWhileOwnDaemonSetLivesAndSelectsTheNode(@ForAll("views") ClusterView view) {
        boolean ownSelects = view.daemonSets().stream().anyMatch(ds -> Policies.isOwn(ds, SELF) && !ds.terminating()
                && NodeSelection.selects(ds.placement(), view.node()));
        Statistics.label("own DaemonSet selects the node").collect(ownSelects)
                .coverage(c -> c.check(true).percentage(p -> p > 3));
        if (ownSelects) {
            assertThat(threeStage.decide(view, SELF)).isInstanceOf(CleanupDecision.Skip.class);
            assertThat(nodeAware.decide(view, SELF)).isInstanceOf(CleanupDecision.Skip.class);
        }
    }

    @Property
    void nodeAwareSkipsOnlyWhenOwnDaemonSetSelectsTheNode(@ForAll("views") ClusterView view) {
        boolean ownSelects = view.daemonSets().stream().anyMatch(ds -> Policies.isOwn(ds, SELF) && !ds.terminating()
                && NodeSelection.selects(ds.placement(), view.node()));
        assertThat(nodeAware.decide(view, SELF) instanceof CleanupDecision.Skip).isEqualTo(ownSelects);
    }

    @Property
    void nodeAwareNeverFullWhileAnotherInstallSelectsTheNode(@ForAll("views") ClusterView view) {
        boolean held = view.daemonSets().stream().anyMatch(ds -> !Policies.isOwn(ds, SELF) && !ds.terminating()
                && ds.name().contains("kata-deploy") && NodeSelection.selects(ds.placement(), view.node()));
        Statistics.label("another install selects the node").collect(held)
                .coverage(c -> c.check(true).percentage(p -> p > 3));
        if (held) {
            assertThat(nodeAware.decide(view, SELF)).isNotInstanceOf(CleanupDecision.Full.class);
        }
    }

    @Property
    void selectsIsExactlyAnEmptyMismatch(@ForAll("views") ClusterView view) {
        for (DaemonSetInfo ds : view.daemonSets()) {
            boolean selects = NodeSelection.selects(ds.placement(), view.node());
            Statistics.label("placement selects the node").collect(selects).coverage(c -> {
                c.check(true).percentage(p -> p > 5);
                c.check(false).percentage(p -> p > 5);
            });
            assertThat(selects).isEqualTo(NodeSelection.mismatch(ds.placement(), view.node()).isEmpty());
        }
    }

    @Property
    void decisionDoesNotDependOnListOrder(@ForAll("views") ClusterView view) {
        List<DaemonSetInfo> reversed = new ArrayList<>(view.daemonSets());
        Collections.reverse(reversed);
        ClusterView other = ClusterView.known(reversed, view.node());
        assertThat(nodeAware.decide(other, SELF).name()).isEqualTo(nodeAware.decide(view, SELF).name());
        assertThat(threeStage.decide(other, SELF).name()).isEqualTo(threeStage.decide(view, SELF).name());
    }

    @Property
    void unknownViewSkipsAndNamesTheCause(@ForAll @NotBlank String cause) {
        ClusterView view = ClusterView.unknown(cause);
        for (CleanupDecision d : List.of(threeStage.decide(view, SELF), nodeAware.decide(view, SELF))) {
            assertThat(d).isInstanceOf(CleanupDecision.Skip.class);
            assertThat(d.reason()).contains(cause);
        }
    }

    @Provide
    Arbitrary<ClusterView> views() {
        Arbitrary<List<DaemonSetInfo>> others = daemonSet().list().ofMaxSize(6);
        Arbitrary<List<DaemonSetInfo>> own = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.<DaemonSetInfo>of())),
                Tuple.of(3, Combinators.combine(Arbitraries.frequency(Tuple.of(1, true), Tuple.of(3, false)), placement())
                        .as((terminating, placement) -> List.of(new DaemonSetInfo(SELF.namespace(), SELF.daemonSetName(),
                                terminating, placement)))));
        return Combinators.combine(own, others, node()).as((o, rest, node) -> {
            // A cluster has at most one DaemonSet per namespace and name.
            Map<String, DaemonSetInfo> unique = new LinkedHashMap<>();
            for (DaemonSetInfo ds : rest) {
                if (!Policies.isOwn(ds, SELF)) {
                    unique.putIfAbsent(ds.namespace() + "/" + ds.name(), ds);
                }
            }
            List<DaemonSetInfo> all = new ArrayList<>(unique.values());
            all.addAll(o);
            return ClusterView.known(all, node);
        });
    }

    private Arbitrary<DaemonSetInfo> daemonSet() {
        Arbitrary<String> namespaces = Arbitraries.of("kube-system", "kata-nightly", "default");
        Arbitrary<String> names = Arbitraries.of("kata-deploy", "kata-deploy-nightly", "my-kata-deploy-canary",
                "kube-proxy", "calico-node", "Kata-Deploy", "kata-runtime");
        return Combinators.combine(namespaces, names, Arbitraries.of(true, false), placement())
                .as(DaemonSetInfo::new);
    }

    private Arbitrary<PodPlacement> placement() {
        Arbitrary<Map<String, String>> selector = Arbitraries.of(
                Map.of(), Map.of("pool", "kata"), Map.of("pool", "gpu"), Map.of("kubernetes.io/os", "linux"));
        Arbitrary<NodeSelectorRequirement> requirement = Combinators.combine(
                        Arbitraries.of("pool", "zone", "cpus", "metadata.name"),
                        Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"),
                        Arbitraries.of("kata", "gpu", "4", "16", "worker-1").list().ofMaxSize(2))
                .as(NodeSelectorRequirement::new);
        Arbitrary<NodeSelectorTerm> term = Combinators.combine(requirement.list().ofMaxSize(2),
                        requirement.list().ofMaxSize(1))
                .as(NodeSelectorTerm::new);
        Arbitrary<List<NodeSelectorTerm>> terms = term.list().ofMaxSize(2).injectNull(0.5);
        Arbitrary<Toleration> toleration = Combinators.combine(
                        Arbitraries.of("", "dedicated", "node.kubernetes.io/not-ready", "maintenance"),
                        Arbitraries.of("Exists", "Equal"),
                        Arbitraries.of("", "kata", "gpu"),
                        Arbitraries.of("", "NoSchedule", "NoExecute"))
                .as(Toleration::new);
        Arbitrary<PodPlacement> random = Combinators.combine(selector, terms, toleration.list().ofMaxSize(2),
                        Arbitraries.of(true, false))
                .as(PodPlacement::new);
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(PodPlacement.ANYWHERE)),
                Tuple.of(1, Arbitraries.just(new PodPlacement(Map.of("pool", "kata"), null, List.of(), false))),
                Tuple.of(4, random));
    }

    private Arbitrary<NodeInfo> node() {
        Arbitrary<Map<String, String>> labels = Combinators.combine(
                        Arbitraries.of("", "kata", "gpu"),
                        Arbitraries.of("", "2", "8", "32"),
                        Arbitraries.of("", "true", "false"),
                        Arbitraries.of("", "true", "false"))
                .as((pool, cpus, ownMark, otherMark) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("kubernetes.io/os", "linux");
                    putIf(m, "pool", pool);
                    putIf(m, "cpus", cpus);
                    putIf(m, SELF.nodeMarkLabel(), ownMark);
                    putIf(m, "kata-deploy.katacontainers.io/nightly", otherMark);
                    return m;
                });
        Arbitrary<Taint> taint = Combinators.combine(
                        Arbitraries.of("dedicated", "node.kubernetes.io/unschedulable", "node.kubernetes.io/not-ready",
                                "node.kubernetes.io/network-unavailable", "maintenance"),
                        Arbitraries.of("", "kata", "gpu"),
                        Arbitraries.of("NoSchedule", "NoExecute", "PreferNoSchedule"))
                .as(Taint::new);
        Arbitrary<List<Taint>> taints = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(List.<Taint>of())),
                Tuple.of(1, taint.list().ofMinSize(1).ofMaxSize(2)));
        return Combinators.combine(Arbitraries.of("worker-1", "worker-2"), labels, taints).as(NodeInfo::new);
    }

    private static void putIf(Map<String, String> m, String key, String value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }
}
