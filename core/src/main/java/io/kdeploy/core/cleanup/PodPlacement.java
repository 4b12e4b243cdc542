package io.kdeploy.core.cleanup;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a DaemonSet's pod template may run: its {@code nodeSelector}, its required node affinity terms ({@code null} when the
 * template has no required node affinity; terms are ORed), its tolerations, and whether it uses the host network.
 */
public record PodPlacement(
        Map<String, String> nodeSelector,
        @Nullable List<NodeSelectorTerm> requiredTerms,
        List<Toleration> tolerations,
        boolean hostNetwork) {
    /** A template that runs on every untainted node. */
    public static final PodPlacement ANYWHERE = new PodPlacement(Map.of(), null, List.of(), false);

    public PodPlacement {
        nodeSelector = Map.copyOf(nodeSelector);
        requiredTerms = requiredTerms == null ? null : List.copyOf(requiredTerms);
        tolerations = List.copyOf(tolerations);
    }
}
