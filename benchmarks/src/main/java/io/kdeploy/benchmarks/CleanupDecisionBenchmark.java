package io.kdeploy.benchmarks;

import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.DaemonSetInfo;
import io.kdeploy.core.cleanup.NodeAwarePolicy;
import io.kdeploy.core.cleanup.NodeInfo;
import io.kdeploy.core.cleanup.NodeSelectorRequirement;
import io.kdeploy.core.cleanup.NodeSelectorTerm;
import io.kdeploy.core.cleanup.PodPlacement;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.cleanup.Taint;
import io.kdeploy.core.cleanup.ThreeStagePolicy;
import io.kdeploy.core.cleanup.Toleration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cleanup decision on a large cluster: 500 DaemonSets in all namespaces, 100 of them named {@code *kata-deploy*} with
 * nodeSelectors, required node affinity and tolerations, against a node with 40 labels and three taints. {@code scenario}
 * picks which branch decides: {@code skip} (own DaemonSet last in the list and selecting the node), {@code instance} (own
 * DaemonSet gone, one other install selects the node) and {@code full} (own gone, no other install selects the node, so
 * node-aware also explains every non-selecting install). Like {@link TomlPlanBenchmark}, on kdeploy's serial collector.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseSerialGC")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CleanupDecisionBenchmark {
    private static final int DAEMONSETS = 500;
    private static final int KATA_INSTALLS = 100;
    private static final Self SELF = new Self("kube-system", "kata-deploy", "");

    @Param({"skip", "instance", "full"})
    public String scenario = "full";

    private final NodeAwarePolicy nodeAware = new NodeAwarePolicy();
    private final ThreeStagePolicy threeStage = new ThreeStagePolicy();
    private ClusterView view = ClusterView.unknown("not set up");

    /** Builds the view for the scenario. */
    @Setup
    public void setUp() {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 36; i++) {
            labels.put("example.com/label-" + i, "value-" + i);
        }
        labels.put("kubernetes.io/hostname", "worker-17");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("katacontainers.io/kata-runtime", "true");
        labels.put(SELF.nodeMarkLabel(), "true");
        List<Taint> taints = List.of(new Taint("node.kubernetes.io/unschedulable", "", "NoSchedule"),
                new Taint("example.com/gpu", "a100", "PreferNoSchedule"),
                new Taint("example.com/dedicated", "kata", "NoSchedule"));
        NodeInfo node = new NodeInfo("worker-17", labels, taints);

        List<DaemonSetInfo> all = new ArrayList<>(DAEMONSETS);
        for (int i = 0; i < DAEMONSETS - KATA_INSTALLS; i++) {
            all.add(new DaemonSetInfo("team-" + (i % 40), "agent-" + i, i % 50 == 0,
                    new PodPlacement(Map.of("example.com/label-" + (i % 36), "value-" + (i % 36)), null,
                            List.of(new Toleration("", "Exists", "", "")), i % 3 == 0)));
        }
        boolean oneHolds = "instance".equals(scenario);
        for (int i = 0; i < KATA_INSTALLS; i++) {
            boolean holder = oneHolds && i == KATA_INSTALLS - 1;
            all.add(new DaemonSetInfo("kata-" + i, "kata-deploy-" + i, i % 10 == 0, kataPlacement(i, holder)));
        }
        if ("skip".equals(scenario)) {
            all.add(new DaemonSetInfo(SELF.namespace(), SELF.daemonSetName(), false, kataPlacement(0, true)));
        }
        view = ClusterView.known(all.subList(all.size() - DAEMONSETS, all.size()), node);
    }

    /** Selects the node only when {@code holder}; otherwise fails on a different check depending on {@code i}. */
    private static PodPlacement kataPlacement(int i, boolean holder) {
        List<NodeSelectorTerm> terms = List.of(
                new NodeSelectorTerm(List.of(
                        new NodeSelectorRequirement("kubernetes.io/arch", "In", List.of("amd64", "arm64")),
                        new NodeSelectorRequirement("node-role.kubernetes.io/control-plane", "DoesNotExist", List.of())),
                        List.of()),
                new NodeSelectorTerm(List.of(), List.of(
                        new NodeSelectorRequirement("metadata.name", "In", List.of("worker-" + i)))));
        Toleration dedicated = new Toleration("example.com/dedicated", "Equal", "kata", "NoSchedule");
        if (holder) {
            return new PodPlacement(Map.of("example.com/label-3", "value-3"), terms, List.of(dedicated), false);
        }
        switch (i % 3) {
            case 0:
                return new PodPlacement(Map.of("katacontainers.io/pool", "pool-" + i), terms, List.of(dedicated), false);
            case 1:
                return new PodPlacement(Map.of(), List.of(terms.get(1)), List.of(dedicated), false);
            default:
                return new PodPlacement(Map.of("example.com/label-3", "value-3"), terms, List.of(), true);
        }
    }

    /** The default policy. */
    @Benchmark
    public CleanupDecision nodeAware() {
        return nodeAware.decide(view, SELF);
    }

    /** kata-deploy's original rule. */
    @Benchmark
    public CleanupDecision threeStage() {
        return threeStage.decide(view, SELF);
    }
}
