package io.kdeploy.testkit;

import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link ConfigPlan}. Every failure message shows the plan as a unified diff, so the reader sees
 * what the configurer wanted to write. Start with {@link KdeployAssertions#assertThat(ConfigPlan)}.
 */
public final class ConfigPlanAssert extends AbstractAssert<ConfigPlanAssert, ConfigPlan> {

    ConfigPlanAssert(ConfigPlan actual) {
        super(actual, ConfigPlanAssert.class);
    }

    /** The plan changes no byte (a re-install on an installed node). */
    public ConfigPlanAssert isEmpty() {
        isNotNull();
        if (!actual.isEmpty()) {
            failWithMessage("Expected an empty plan, but it changes %s:%n%s", actual.changedPaths(), diff());
        }
        return this;
    }

    /** The plan changes at least one file. */
    public ConfigPlanAssert isNotEmpty() {
        isNotNull();
        if (actual.isEmpty()) {
            failWithMessage("Expected a plan that changes something, but it changes nothing (edits of %s are no-ops)",
                    actual.edits().stream().map(FileEdit::path).toList());
        }
        return this;
    }

    /** The plan changes, creates or deletes the file at this node path. */
    public ConfigPlanAssert writes(String nodePath) {
        isNotNull();
        if (!actual.changedPaths().contains(nodePath)) {
            failWithMessage("Expected the plan to write %s, but it changes only %s:%n%s", nodePath,
                    actual.changedPaths(), diff());
        }
        return this;
    }

    /** The plan does not change the file at this node path. */
    public ConfigPlanAssert doesNotWrite(String nodePath) {
        isNotNull();
        if (actual.changedPaths().contains(nodePath)) {
            failWithMessage("Expected the plan not to write %s, but it does:%n%s", nodePath, diff());
        }
        return this;
    }

    /** The plan changes exactly these files, no more and no fewer (in any order). */
    public ConfigPlanAssert changesOnly(String... nodePaths) {
        isNotNull();
        TreeSet<String> expected = new TreeSet<>(Arrays.asList(nodePaths));
        TreeSet<String> changed = new TreeSet<>(actual.changedPaths());
        if (!expected.equals(changed)) {
            TreeSet<String> extra = new TreeSet<>(changed);
            extra.removeAll(expected);
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(changed);
            failWithMessage("Expected the plan to change exactly %s, but it changes %s (unexpected: %s, not changed: %s):%n%s",
                    expected, changed, extra, missing, diff());
        }
        return this;
    }

    /** The plan's unified diff contains every one of these fragments (e.g. {@code +runtime_type = ...}). */
    public ConfigPlanAssert diffContains(String... fragments) {
        isNotNull();
        String d = actual.toUnifiedDiff();
        List<String> missing = Arrays.stream(fragments).filter(f -> !d.contains(f)).toList();
        if (!missing.isEmpty()) {
            failWithMessage("Expected the plan's diff to contain %s, but it does not contain %s. The diff:%n%s",
                    Arrays.asList(fragments), missing, diff());
        }
        return this;
    }

    /** The plan's unified diff contains none of these fragments. */
    public ConfigPlanAssert diffDoesNotContain(String... fragments) {
        isNotNull();
        String d = actual.toUnifiedDiff();
        List<String> present = Arrays.stream(fragments).filter(d::contains).toList();
        if (!present.isEmpty()) {
            failWithMessage("Expected the plan's diff not to contain %s. The diff:%n%s", present, diff());
        }
        return this;
    }

    /** The plan restarts this unit ({@code null}: none). */
    public ConfigPlanAssert restarts(String unit) {
        isNotNull();
        if (!Objects.equals(actual.restartUnit(), unit)) {
            failWithMessage("Expected the plan to restart %s, but it restarts %s. The diff:%n%s", unit,
                    actual.restartUnit() == null ? "nothing" : actual.restartUnit(), diff());
        }
        return this;
    }

    /** The plan restarts no unit. */
    public ConfigPlanAssert restartsNothing() {
        isNotNull();
        if (actual.restartUnit() != null) {
            failWithMessage("Expected the plan to restart nothing, but it restarts %s. The diff:%n%s",
                    actual.restartUnit(), diff());
        }
        return this;
    }

    /** The plan registers exactly these handlers, in this order. */
    public ConfigPlanAssert registers(String... handlers) {
        isNotNull();
        if (!actual.handlers().equals(List.of(handlers))) {
            failWithMessage("Expected the handlers %s, but the plan registers %s", List.of(handlers),
                    actual.handlers());
        }
        return this;
    }


    private String diff() {
        String d = actual.toUnifiedDiff();
        return d.isEmpty() ? "(no change)" : d;
    }
}
