package io.kdeploy.cli.agent;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kdeploy.cli.kube.FabricCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** A node and its DaemonSets in fabric8's mock API server (CRUD mode), as the agent tests need them. */
final class MockCluster implements AutoCloseable {
    static final String NODE = "worker-1";
    static final String NAMESPACE = "kube-system";

    final KubernetesMockServer server;
    final KubernetesClient client;
    private final List<Pod> pods = new CopyOnWriteArrayList<>();
    private boolean podsServed;

    MockCluster(KubernetesMockServer server, KubernetesClient mockClient) {
        this.server = server;
        this.client = client(server, mockClient, Duration.ofSeconds(10));
    }

    static KubernetesClient client(KubernetesMockServer server, KubernetesClient mockClient, Duration requestTimeout) {
        return server.createClient(b -> b.withConfig(new ConfigBuilder(mockClient.getConfiguration())
                .withRequestTimeout(Math.toIntExact(requestTimeout.toMillis()))
                .withRequestRetryBackoffLimit(0)
                .build()));
    }

    FabricCluster port() {
        return new FabricCluster(client, NODE);
    }

    /** A Linux node, Ready or not, reporting {@code handlers} in {@code status.runtimeHandlers} (none: not reported). */
    MockCluster node(boolean ready, String... handlers) {
        NodeBuilder b = new NodeBuilder()
                .withNewMetadata().withName(NODE)
                    .addToLabels("kubernetes.io/os", "linux").addToLabels("kubernetes.io/hostname", NODE)
                .endMetadata()
                .withNewSpec()
                    .addNewTaint().withKey("kata.example/startup").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus()
                    .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus();
        for (String h : handlers) {
            b.editStatus().addNewRuntimeHandler().withName(h).endRuntimeHandler().endStatus();
        }
        client.nodes().resource(b.build()).create();
        return this;
    }

    Node node() {
        return client.nodes().withName(NODE).get();
    }

    Map<String, String> labels() {
        Map<String, String> labels = node().getMetadata().getLabels();
        return labels == null ? Map.of() : new TreeMap<>(labels);
    }

    void editNode(UnaryOperator<NodeBuilder> change) {
        client.nodes().resource(change.apply(new NodeBuilder(node())).build()).update();
    }

    /** The DaemonSet of an install, selecting Linux nodes that do not carry {@code kata.example/excluded}. */
    static DaemonSet daemonSet(String name) {
        return new DaemonSetBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("name", name).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("name", name).endMetadata()
                        .withNewSpec().addToNodeSelector("kubernetes.io/os", "linux")
                            .addNewToleration().withKey("kata.example/startup").withOperator("Exists").endToleration()
                            .addNewContainer().withName("kdeploy").withImage("kdeploy").endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    MockCluster daemonSet(DaemonSet ds) {
        client.apps().daemonSets().resource(ds).create();
        return this;
    }

    MockCluster deleteDaemonSet(String name) {
        client.apps().daemonSets().inNamespace(NAMESPACE).withName(name).delete();
        return this;
    }

    MockCluster runtimeClass(String name, String handler) {
        client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class).resource(new RuntimeClassBuilder()
                .withNewMetadata().withName(name).endMetadata().withHandler(handler).build()).create();
        return this;
    }

    /**
     * A running pod on the node. The CRUD mock ignores the {@code spec.nodeName} field selector, so the pods on the node
     * are served by an expectation that answers from {@link #pods}.
     */
    MockCluster runningPod(String namespace, String name, String runtimeClass) {
        if (!podsServed) {
            server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE)
                    .andReply(200, request -> new PodListBuilder().withItems(List.copyOf(pods)).build()).always();
            podsServed = true;
        }
        pods.add(new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(NODE).withRuntimeClassName(runtimeClass)
                    .addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build());
        return this;
    }

    MockCluster deletePod(String namespace, String name) {
        pods.removeIf(p -> p.getMetadata().getNamespace().equals(namespace) && p.getMetadata().getName().equals(name));
        return this;
    }

    /** {@code reason: message} of every Event posted about the node, oldest first. */
    List<String> events() {
        List<String> out = new ArrayList<>();
        for (Event e : client.v1().events().inNamespace("default").list().getItems()) {
            out.add(e.getReason() + ": " + e.getMessage());
        }
        return out;
    }

    /** How many {@code KataInstalled} Events name this install's mark. */
    long installedEvents(String mark) {
        return events().stream().filter(e -> e.startsWith("KataInstalled: ") && e.contains(mark)).count();
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
