package io.kdeploy.core.cleanup;

import static io.kdeploy.core.cleanup.Clusters.fields;
import static io.kdeploy.core.cleanup.Clusters.req;
import static io.kdeploy.core.cleanup.Clusters.taint;
import static io.kdeploy.core.cleanup.Clusters.term;
import static io.kdeploy.core.cleanup.Clusters.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeSelectionTest {

    private static final Map<String, String> LABELS = Map.of("pool", "kata", "cpus", "16", "zone", "eu-1a");
    private static final NodeInfo NODE = new NodeInfo("worker-1", LABELS, List.of());

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "pool    | In           | kata,gpu | true",
        "pool    | In           | gpu      | false",
        "absent  | In           | kata     | false",
        "pool    | NotIn        | gpu      | true",
        "pool    | NotIn        | kata,gpu | false",
        "absent  | NotIn        | kata     | true",
        "pool    | Exists       |          | true",
        "absent  | Exists       |          | false",
        "pool    | DoesNotExist |          | false",
        "absent  | DoesNotExist |          | true",
        "cpus    | Gt           | 8        | true",
        "cpus    | Gt           | 16       | false",
        "cpus    | Gt           | 32       | false",
        "cpus    | Lt           | 32       | true",
        "cpus    | Lt           | 16       | false",
        "cpus    | Lt           | 4        | false",
        "cpus    | Gt           | -1       | true",
        "pool    | Gt           | 1        | false",
        "pool    | Lt           | 1        | false",
        "cpus    | Gt           | eight    | false",
        "cpus    | Gt           | 1,2      | false",
        "absent  | Gt           | 1        | false",
        "absent  | Lt           | 1        | false",
        "pool    | Equals       | kata     | false",
    })
    void operators(String key, String operator, String values, boolean expected) {
        List<String> operands = values == null ? List.of() : List.of(values.split(","));
        assertThat(NodeSelection.matches(new NodeSelectorRequirement(key, operator, operands), LABELS)).isEqualTo(expected);
    }

    @Test
    void expressionsInATermAreAnded() {
        assertThat(NodeSelection.matches(term(req("pool", "In", "kata"), req("zone", "In", "eu-1a")), NODE)).isTrue();
        assertThat(NodeSelection.matches(term(req("pool", "In", "kata"), req("zone", "In", "us-1a")), NODE)).isFalse();
    }

    @Test
    void termsAreOred() {
        List<NodeSelectorTerm> terms = List.of(term(req("pool", "In", "gpu")), term(req("zone", "Exists")));
        assertThat(NodeSelection.matchesAnyTerm(terms, NODE)).isTrue();
        assertThat(NodeSelection.matchesAnyTerm(List.of(term(req("pool", "In", "gpu"))), NODE)).isFalse();
    }

    @Test
    void anEmptyTermOrNoTermsSelectNothing() {
        assertThat(NodeSelection.matches(term(), NODE)).isFalse();
        assertThat(NodeSelection.matchesAnyTerm(List.of(), NODE)).isFalse();
        assertThat(NodeSelection.selects(new PodPlacement(Map.of(), List.of(term()), List.of(), false), NODE)).isFalse();
    }

    @Test
    void noRequiredAffinitySelectsEveryNode() {
        assertThat(NodeSelection.selects(PodPlacement.ANYWHERE, NODE)).isTrue();
    }

    @Test
    void matchFieldsLookOnlyAtMetadataName() {
        assertThat(NodeSelection.matches(fields(req("metadata.name", "In", "worker-1")), NODE)).isTrue();
        assertThat(NodeSelection.matches(fields(req("metadata.name", "In", "worker-2")), NODE)).isFalse();
        assertThat(NodeSelection.matches(fields(req("metadata.name", "NotIn", "worker-2")), NODE)).isTrue();
        assertThat(NodeSelection.matches(fields(req("metadata.uid", "Exists")), NODE)).isFalse();
        assertThat(NodeSelection.matches(fields(req("pool", "In", "kata")), NODE)).as("labels are not fields").isFalse();
    }

    @Test
    void fieldsAndExpressionsOfOneTermAreAnded() {
        NodeSelectorTerm both = new NodeSelectorTerm(List.of(req("pool", "In", "kata")),
                List.of(req("metadata.name", "In", "worker-2")));
        assertThat(NodeSelection.matches(both, NODE)).isFalse();
    }

    @Test
    void nodeSelectorNeedsEveryPairExactly() {
        assertThat(NodeSelection.selects(placement(Map.of("pool", "kata", "zone", "eu-1a")), NODE)).isTrue();
        assertThat(NodeSelection.mismatch(placement(Map.of("pool", "kata", "zone", "eu-1b")), NODE))
                .hasValue("nodeSelector zone=eu-1b does not match: the node has zone=eu-1a");
        assertThat(NodeSelection.mismatch(placement(Map.of("gpu", "true")), NODE))
                .hasValue("nodeSelector gpu=true does not match: the node has no label gpu");
        assertThat(NodeSelection.mismatch(placement(Map.of("zz", "1", "pool", "gpu", "aa", "2", "zone", "eu-1a")), NODE))
                .as("the first failing key in key order")
                .hasValue("nodeSelector aa=2 does not match: the node has no label aa");
    }

    @ParameterizedTest(name = "{0}/{1}={2}:{3} vs {4}={5}:{6} -> {7}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // toleration key | operator | value | effect || taint key | value | effect || tolerated
        "dedicated | Equal  | kata | NoSchedule | dedicated | kata | NoSchedule | true",
        "dedicated | Equal  | gpu  | NoSchedule | dedicated | kata | NoSchedule | false",
        "dedicated | Equal  | kata | NoExecute  | dedicated | kata | NoSchedule | false",
        "dedicated | Equal  | kata | ''         | dedicated | kata | NoExecute  | true",
        "dedicated | ''     | kata | ''         | dedicated | kata | NoExecute  | true",
        "dedicated | Exists | ''   | ''         | dedicated | kata | NoSchedule | true",
        "dedicated | Exists | ''   | NoSchedule | dedicated | ''   | NoExecute  | false",
        "other     | Exists | ''   | ''         | dedicated | kata | NoSchedule | false",
        "''        | Exists | ''   | ''         | anything  | x    | NoExecute  | true",
        "''        | Exists | ''   | NoSchedule | anything  | x    | NoExecute  | false",
        "dedicated | Equal  | ''   | NoSchedule | dedicated | ''   | NoSchedule | true",
        "dedicated | Lt     | kata | NoSchedule | dedicated | kata | NoSchedule | false",
    })
    void tolerations(String tKey, String op, String tValue, String tEffect, String key, String value, String effect,
            boolean expected) {
        assertThat(NodeSelection.tolerates(toleration(tKey, op, tValue, tEffect), taint(key, value, effect)))
                .isEqualTo(expected);
    }

    @Test
    void untoleratedNoScheduleAndNoExecuteTaintsDeselect() {
        for (String effect : List.of("NoSchedule", "NoExecute")) {
            NodeInfo tainted = new NodeInfo("worker-1", LABELS, List.of(taint("dedicated", "gpu", effect)));
            assertThat(NodeSelection.mismatch(PodPlacement.ANYWHERE, tainted))
                    .hasValue("the node's taint dedicated=gpu:" + effect + " is not tolerated");
        }
    }

    @Test
    void preferNoScheduleIsIgnored() {
        NodeInfo tainted = new NodeInfo("worker-1", LABELS, List.of(taint("dedicated", "gpu", "PreferNoSchedule")));
        assertThat(NodeSelection.selects(PodPlacement.ANYWHERE, tainted)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "node.kubernetes.io/not-ready, NoExecute",
        "node.kubernetes.io/not-ready, NoSchedule",
        "node.kubernetes.io/unreachable, NoExecute",
        "node.kubernetes.io/unreachable, NoSchedule",
        "node.kubernetes.io/disk-pressure, NoSchedule",
        "node.kubernetes.io/memory-pressure, NoSchedule",
        "node.kubernetes.io/pid-pressure, NoSchedule",
        "node.kubernetes.io/unschedulable, NoSchedule",
    })
    void controllerAddedTolerationsApplyToEveryDaemonPod(String key, String effect) {
        NodeInfo tainted = new NodeInfo("worker-1", LABELS, List.of(taint(key, "", effect)));
        assertThat(NodeSelection.selects(PodPlacement.ANYWHERE, tainted)).isTrue();
    }

    @Test
    void pressureTaintsWithNoExecuteAreNotAutomaticallyTolerated() {
        NodeInfo tainted = new NodeInfo("worker-1", LABELS, List.of(taint("node.kubernetes.io/disk-pressure", "", "NoExecute")));
        assertThat(NodeSelection.selects(PodPlacement.ANYWHERE, tainted)).isFalse();
    }

    @Test
    void networkUnavailableIsToleratedOnlyForHostNetworkPods() {
        NodeInfo tainted = new NodeInfo("worker-1", LABELS,
                List.of(taint("node.kubernetes.io/network-unavailable", "", "NoSchedule")));
        assertThat(NodeSelection.selects(PodPlacement.ANYWHERE, tainted)).isFalse();
        assertThat(NodeSelection.selects(new PodPlacement(Map.of(), null, List.of(), true), tainted)).isTrue();
    }

    @Test
    void everyTaintMustBeTolerated() {
        NodeInfo tainted = new NodeInfo("worker-1", LABELS,
                List.of(taint("a", "", "NoSchedule"), taint("b", "", "NoSchedule")));
        PodPlacement onlyA = new PodPlacement(Map.of(), null, List.of(toleration("a", "Exists", "", "")), false);
        assertThat(NodeSelection.mismatch(onlyA, tainted)).hasValue("the node's taint b:NoSchedule is not tolerated");
    }

    private static PodPlacement placement(Map<String, String> selector) {
        return new PodPlacement(selector, null, List.of(), false);
    }
}
