package io.kdeploy.cli.manifests;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.RuntimeInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What job mode's per-node Jobs need beyond the spec: the nodes, and the values the Jobs pass to the staged actions, since
 * they have no API access to read them.
 *
 * @param nodes the nodes to render a Job for, in order (at least one)
 * @param runtimeVersion the nodes' {@code containerRuntimeVersion} ({@code CONTAINER_RUNTIME_VERSION}), e.g.
 *     {@code containerd://1.7.22}; empty to let each stage detect it from the host's files
 * @param machineIds each node's {@code /etc/machine-id} ({@code NODE_MACHINE_ID}), for the nodes that have one given
 */
public record JobOptions(List<String> nodes, String runtimeVersion, Map<String, String> machineIds) {
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public JobOptions {
        nodes = List.copyOf(requireNonNull(nodes, "nodes"));
        requireNonNull(runtimeVersion, "runtimeVersion");
        machineIds = Map.copyOf(new TreeMap<>(requireNonNull(machineIds, "machineIds")));
        if (nodes.isEmpty()) {
            throw new InvalidSpecException("--mode job renders one Job per node: name the nodes with --node NAME (repeat"
                    + " it for each node).");
        }
        for (String node : nodes) {
            if (node.length() > 253 || !DNS_SUBDOMAIN.matcher(node).matches()) {
                throw new InvalidSpecException("--node '" + node + "' is not a Kubernetes node name: use lowercase"
                        + " letters, digits, '-' and '.', e.g. worker-1.");
            }
        }
        if (nodes.stream().distinct().count() != nodes.size()) {
            throw new InvalidSpecException("--node names " + nodes + " more than once; give each node once.");
        }
        for (String node : machineIds.keySet()) {
            if (!nodes.contains(node)) {
                throw new InvalidSpecException("--machine-id names node '" + node + "', which is not one of the --node"
                        + " values " + nodes + ". Give --node " + node + " too, or drop its machine id.");
            }
        }
        if (!runtimeVersion.isBlank()) {
            RuntimeInfo.parse(runtimeVersion);
        }
    }
}
