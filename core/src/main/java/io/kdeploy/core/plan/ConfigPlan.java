package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a configurer wants done to a node's runtime configuration: file edits, the unit to restart when something changed,
 * the runtime's own validation command, the handlers it registers, and warnings the operator must see. A plan is a value:
 * comparable in tests and printable as a unified diff.
 */
public record ConfigPlan(
        List<FileEdit> edits,
        @Nullable String restartUnit,
        @Nullable ValidationCommand validation,
        List<String> handlers,
        List<String> warnings) {
    public ConfigPlan {
        edits = List.copyOf(requireNonNull(edits, "edits"));
        handlers = List.copyOf(requireNonNull(handlers, "handlers"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings"));
    }
}
