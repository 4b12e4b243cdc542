package io.kdeploy.core.cleanup;

import java.util.List;

/** A required node affinity term: its label expressions and field expressions (only {@code metadata.name}) are ANDed. */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions, List<NodeSelectorRequirement> matchFields) {
    public NodeSelectorTerm {
        matchExpressions = List.copyOf(matchExpressions);
        matchFields = List.copyOf(matchFields);
    }
}
