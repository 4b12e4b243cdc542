package io.kdeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The contract passes a sound configurer, and for each broken one fails exactly the property it breaks (and says why):
 * a contract that cannot fail proves nothing.
 */
class CriConfiguratorContractTest {
    private static final List<String> PROPERTIES = List.of("planningIsPureAndDeterministic",
            "reinstallOnAnInstalledNodeIsEmpty", "installThenRevertIsByteIdentical", "twoInstancesLeaveEachOtherAlone",
            "malformedInputNamesLineAndColumn", "writesOnlyDeclaredPaths", "outputParses");

    /** Runs the contract subclass and counts failed dynamic tests per property. */
    private static Map<String, Long> failuresByProperty(Class<?> subject) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(subject)).execute();
        assertThat(results.testEvents().started().count()).as("dynamic tests run").isEqualTo(PROPERTIES.size() * 3L);
        Map<String, Long> out = new TreeMap<>();
        results.testEvents().failed().stream().forEach(e -> out.merge(property(e), 1L, Long::sum));
        return out;
    }

    private static String property(Event e) {
        String id = e.getTestDescriptor().getUniqueId().toString();
        return PROPERTIES.stream().filter(p -> id.contains("test-factory:" + p + "(")).findFirst().orElse(id);
    }

    private static String firstFailureMessage(Class<?> subject, String property) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(subject)).execute().testEvents().failed().stream()
                .filter(e -> property(e).equals(property))
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                        .orElseThrow().getMessage())
                .findFirst().orElseThrow();
    }

    @Test
    void soundConfiguratorPassesEveryProperty() {
        assertThat(failuresByProperty(Subjects.Sound.class)).isEmpty();
    }

    @Test
    void notIdempotentFailsTheReinstallProperty() {
        assertThat(failuresByProperty(Subjects.NotIdempotent.class))
                .containsEntry("reinstallOnAnInstalledNodeIsEmpty", 3L)
                .doesNotContainKeys("installThenRevertIsByteIdentical", "writesOnlyDeclaredPaths", "outputParses");
        assertThat(firstFailureMessage(Subjects.NotIdempotent.class, "reinstallOnAnInstalledNodeIsEmpty"))
                .contains("installing again on the installed node", "Expected an empty plan", "+# kata installed");
    }

    @Test
    void undeclaredPathFailsOnlyTheDeclaredPathsProperty() {
        assertThat(failuresByProperty(Subjects.UndeclaredPath.class))
                .containsOnly(Map.entry("writesOnlyDeclaredPaths", 3L));
        assertThat(firstFailureMessage(Subjects.UndeclaredPath.class, "writesOnlyDeclaredPaths"))
                .contains("/etc/kdeploy-notes.toml", "matches none of the declared writable paths [/etc/containerd/config.toml]");
    }

    @Test
    void impureFailsTheDeterminismProperty() {
        assertThat(failuresByProperty(Subjects.Impure.class)).containsEntry("planningIsPureAndDeterministic", 3L);
        assertThat(firstFailureMessage(Subjects.Impure.class, "planningIsPureAndDeterministic"))
                .contains("planning the same install twice gave different plans", "generation = ");
    }

    @Test
    void swallowingMalformedInputFailsTheMalformedProperty() {
        assertThat(failuresByProperty(Subjects.SwallowsMalformedInput.class))
                .containsOnly(Map.entry("malformedInputNamesLineAndColumn", 3L));
    }

    @Test
    void lossyRevertFailsTheRevertProperty() {
        Map<String, Long> failures = failuresByProperty(Subjects.LossyRevert.class);
        assertThat(failures).containsEntry("installThenRevertIsByteIdentical", 2L)
                .doesNotContainKeys("reinstallOnAnInstalledNodeIsEmpty", "malformedInputNamesLineAndColumn",
                        "writesOnlyDeclaredPaths", "planningIsPureAndDeterministic");
        assertThat(firstFailureMessage(Subjects.LossyRevert.class, "installThenRevertIsByteIdentical"))
                .contains("the node after install and cleanup", "--- a/etc/containerd/config.toml");
    }

    @Test
    void clobberingOtherInstancesFailsTheTwoInstancesProperty() {
        assertThat(failuresByProperty(Subjects.ClobbersOtherInstances.class))
                .containsOnly(Map.entry("twoInstancesLeaveEachOtherAlone", 3L));
        assertThat(firstFailureMessage(Subjects.ClobbersOtherInstances.class, "twoInstancesLeaveEachOtherAlone"))
                .contains("planning a again after b was installed", "would change what /etc/containerd/config.toml means", "+runtime_type = \"io.containerd.kata-qemu-a.v2\"");
    }

    @Test
    void unparseableOutputFailsTheParsesProperty() {
        assertThat(failuresByProperty(Subjects.UnparseableOutput.class)).containsEntry("outputParses", 3L)
                .doesNotContainKeys("reinstallOnAnInstalledNodeIsEmpty", "installThenRevertIsByteIdentical");
        assertThat(firstFailureMessage(Subjects.UnparseableOutput.class, "outputParses"))
                .contains("/etc/containerd/config.toml as written does not parse", "kata_handlers = [kata-qemu");
    }

    @Test
    void knownFailuresPassWhileTheyFailAndFailOnceTheyPass() {
        assertThat(failuresByProperty(Subjects.KnownClobbering.class)).isEmpty();
        assertThat(failuresByProperty(Subjects.StaleKnownFailure.class)).containsOnly(Map.entry("outputParses", 1L));
        assertThat(firstFailureMessage(Subjects.StaleKnownFailure.class, "outputParses"))
                .contains("outputParses/no-config is listed in knownFailures() (was broken once) but now passes");
    }
}
