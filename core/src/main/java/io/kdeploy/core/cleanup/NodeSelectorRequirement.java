package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One expression of a node selector term: {@code key}, {@code operator} ({@code In NotIn Exists DoesNotExist Gt Lt}) and {@code values}. */
public record NodeSelectorRequirement(String key, String operator, List<String> values) {
    public NodeSelectorRequirement {
        requireNonNull(key, "key");
        requireNonNull(operator, "operator");
        values = List.copyOf(requireNonNull(values, "values"));
    }
}
