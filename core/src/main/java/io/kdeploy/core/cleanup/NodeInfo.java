package io.kdeploy.core.cleanup;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** What the cleanup decision needs of this node: its name, labels and taints. */
public record NodeInfo(String name, Map<String, String> labels, List<Taint> taints) {
    public NodeInfo {
        requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }
}
