package io.kdeploy.cli.agent;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kdeploy.cli.host.Termination;
import io.kdeploy.cli.kube.FabricCluster;
import io.kdeploy.cli.kube.KubeClients;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.deploy.CleanupRequest;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import io.kdeploy.core.spi.CleanupPolicy;
import java.util.Map;

/**
 * How {@code kdeploy install} and {@code kdeploy cleanup} run with a cluster: when {@code NODE_NAME} is set and neither
 * {@code --offline} nor {@code --dry-run} is given. Reads {@code POD_NAMESPACE}, {@code STARTUP_TAINTS} (the probe port,
 * {@code HEALTH_PORT}, comes with the spec) and, for the agent's own cleanup on SIGTERM, {@code CLEANUP_POLICY} (default {@code node-aware}).
 */
public final class ClusterAgent {
    /** The policy when neither {@code --policy} nor {@code CLEANUP_POLICY} names one. */
    public static final String DEFAULT_POLICY = "node-aware";

    private ClusterAgent() {}

    /** Whether a command works with the cluster: a node name is known, and the run is neither offline nor dry. */
    public static boolean applies(DeploySpec spec, boolean offline, boolean dryRun) {
        return !spec.nodeName().isBlank() && !offline && !dryRun;
    }

    /**
     * {@code kdeploy install} with a cluster: the whole agent life cycle ({@link NodeAgent#run()}), SIGTERM handled through
     * the JVM's shutdown hook. Returns the exit status once the cleanup after SIGTERM is done.
     */
    public static int install(NodeDeployment deployment, InstallRequest request, Map<String, String> env) {
        AgentSettings settings = AgentSettings.fromEnvironment(request.spec(), env);
        CleanupPolicy policy = policy(env.getOrDefault("CLEANUP_POLICY", DEFAULT_POLICY));
        try (KubernetesClient client = KubeClients.create(KubeClients.REQUEST_TIMEOUT);
                Termination termination = Termination.install(settings.stopGrace())) {
            return install(client, deployment, request, policy, settings, termination);
        }
    }

    /** {@link #install(NodeDeployment, InstallRequest, Map)} with the client, policy, settings and termination given. */
    public static int install(KubernetesClient client, NodeDeployment deployment, InstallRequest request,
            CleanupPolicy policy, AgentSettings settings, Termination termination) {
        DeploySpec spec = request.spec();
        NodeAgent agent = new NodeAgent(new FabricCluster(client, spec.nodeName()), DeploymentHost.of(deployment, request),
                policy, self(spec, settings), settings, termination);
        int status = agent.run();
        termination.finish(status);
        return status;
    }

    /**
     * {@code kdeploy cleanup} with a cluster: read the cluster, ask {@code policyId}, post the decision as a Node Event,
     * and do exactly that ({@link NodeAgent#cleanup()}).
     */
    public static CleanupOutcome cleanup(NodeDeployment deployment, CleanupRequest request, String policyId,
            Map<String, String> env) {
        CleanupPolicy policy = policy(policyId);
        try (KubernetesClient client = KubeClients.create(KubeClients.REQUEST_TIMEOUT)) {
            return cleanup(client, deployment, request, policy, AgentSettings.fromEnvironment(request.spec(), env));
        }
    }

    /** {@link #cleanup(NodeDeployment, CleanupRequest, String, Map)} with the client, policy and settings given. */
    public static CleanupOutcome cleanup(KubernetesClient client, NodeDeployment deployment, CleanupRequest request,
            CleanupPolicy policy, AgentSettings settings) {
        DeploySpec spec = request.spec();
        try (Termination unused = Termination.detached(settings.stopGrace())) {
            return new NodeAgent(new FabricCluster(client, spec.nodeName()), DeploymentHost.forCleanup(deployment, request),
                    policy, self(spec, settings), settings, unused).cleanup();
        }
    }

    /**
     * What {@code policyId} decides for this install now, without posting an Event or touching anything (for
     * {@code kdeploy cleanup --dry-run} with a cluster).
     */
    public static CleanupDecision decide(DeploySpec spec, String policyId, Map<String, String> env) {
        CleanupPolicy policy = policy(policyId);
        try (KubernetesClient client = KubeClients.create(KubeClients.REQUEST_TIMEOUT)) {
            return decide(client, spec, policy, AgentSettings.fromEnvironment(spec, env));
        }
    }

    /** {@link #decide(DeploySpec, String, Map)} with the client, policy and settings given. */
    public static CleanupDecision decide(KubernetesClient client, DeploySpec spec, CleanupPolicy policy,
            AgentSettings settings) {
        return policy.decide(new FabricCluster(client, spec.nodeName()).view(), self(spec, settings));
    }

    /**
     * The registered policy with this id ({@code --policy}, {@code CLEANUP_POLICY}).
     *
     * @throws InvalidSpecException for an unknown id (exit 2), naming the known ones
     */
    public static CleanupPolicy policy(String id) {
        requireNonNull(id, "id");
        Kdeploy registry = Kdeploy.discover();
        return registry.policies().stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new InvalidSpecException("--policy / CLEANUP_POLICY '" + id + "': no such cleanup"
                        + " policy. Known: " + registry.policies().stream().map(CleanupPolicy::id).sorted().toList()
                        + "."));
    }

    private static Self self(DeploySpec spec, AgentSettings settings) {
        return new Self(settings.namespace(), spec.daemonSetName(), spec.suffix());
    }
}
