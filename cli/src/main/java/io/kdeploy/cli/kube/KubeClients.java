package io.kdeploy.cli.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.time.Duration;

/** Builds the agent's Kubernetes client: in-cluster or kubeconfig credentials, the JDK HTTP client, bounded requests. */
public final class KubeClients {
    /** How long one API request may take before the read counts as failed. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private KubeClients() {}

    /**
     * A client configured like {@code kubectl} would be (service account inside a pod, else {@code KUBECONFIG} or
     * {@code ~/.kube/config}), with {@code requestTimeout} per request and at most two retries, so that a cleanup facing
     * an unreachable API decides "unknown" well within the pod's grace period.
     */
    public static KubernetesClient create(Duration requestTimeout) {
        Config config = new ConfigBuilder(Config.autoConfigure(null))
                .withRequestTimeout(Math.toIntExact(requestTimeout.toMillis()))
                .withConnectionTimeout(Math.toIntExact(Math.min(requestTimeout.toMillis(), 5_000)))
                .withRequestRetryBackoffLimit(2)
                .withRequestRetryBackoffInterval(500)
                .build();
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(config).build();
    }
}
