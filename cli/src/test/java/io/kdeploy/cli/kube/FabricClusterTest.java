package io.kdeploy.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.DaemonSetInfo;
import io.kdeploy.core.cleanup.Taint;
import io.kdeploy.core.cluster.ClusterPort.ClusterException;
import io.kdeploy.core.cluster.ClusterPort.EventType;
import io.kdeploy.core.cluster.ClusterPort.HandlerStatus;
import io.kdeploy.core.cluster.PodRef;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class FabricClusterTest {
    private static final String NODE = "n1";
    private static final String NODES_PATH = "/api/v1/nodes/" + NODE;

    KubernetesMockServer server;
    KubernetesClient mockClient;

    private KubernetesClient client;
    private FabricCluster cluster;

    @BeforeEach
    void setUp() {
        client = clientWithTimeout(Duration.ofSeconds(10));
        cluster = new FabricCluster(client, NODE);
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(NODE).addToLabels("kubernetes.io/hostname", NODE).endMetadata()
                .withNewSpec()
                    .addNewTaint().withKey("kata.example/startup").withEffect("NoSchedule").endTaint()
                    .addNewTaint().withKey("kata.example/startup").withEffect("NoExecute").endTaint()
                    .addNewTaint().withKey("other").withValue("v").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus()
                    .addNewCondition().withType("Ready").withStatus("False").withReason("KubeletNotReady")
                        .withMessage("container runtime is down").endCondition()
                .endStatus()
                .build()).create();
    }

    private KubernetesClient clientWithTimeout(Duration requestTimeout) {
        return server.createClient(b -> b.withConfig(new ConfigBuilder(mockClient.getConfiguration())
                .withRequestTimeout(Math.toIntExact(requestTimeout.toMillis()))
                .withRequestRetryBackoffLimit(0)
                .build()));
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static DaemonSet daemonSet(String namespace, String name) {
        return new DaemonSetBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("name", name).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("name", name).endMetadata()
                        .withNewSpec().addToNodeSelector("kubernetes.io/os", "linux")
                            .addNewContainer().withName("c").withImage("i").endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    @Test
    void viewReadsTheDaemonSetsOfAllNamespacesAndTheNode() {
        client.apps().daemonSets().resource(daemonSet("kube-system", "kata-deploy")).create();
        client.apps().daemonSets().resource(daemonSet("tenant-b", "kata-deploy-b")).create();

        ClusterView view = cluster.view();

        assertThat(view.unknown()).isEmpty();
        assertThat(view.daemonSets()).extracting(DaemonSetInfo::namespace, DaemonSetInfo::name)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("kube-system", "kata-deploy"),
                        org.assertj.core.groups.Tuple.tuple("tenant-b", "kata-deploy-b"));
        assertThat(view.daemonSets().get(0).placement().nodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(view.node().name()).isEqualTo(NODE);
        assertThat(view.node().labels()).containsEntry("kubernetes.io/hostname", NODE);
        assertThat(view.node().taints()).hasSize(3);
    }

    @Test
    void aForbiddenDaemonSetListMakesTheViewUnknown() {
        server.expect().get().withPath("/apis/apps/v1/daemonsets")
                .andReturn(HttpURLConnection.HTTP_FORBIDDEN, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("daemonsets.apps is forbidden: User \"system:serviceaccount:kube-system:kata-deploy\""
                                + " cannot list resource \"daemonsets\"")
                        .build())
                .always();

        ClusterView view = cluster.view();

        assertThat(view.unknown()).hasValueSatisfying(cause -> assertThat(cause)
                .startsWith("GET /apis/apps/v1/daemonsets: 403 Forbidden")
                .contains("cannot list resource"));
        assertThat(view.node()).isNull();
    }

    @Test
    void aServerErrorReadingTheNodeMakesTheViewUnknown() {
        server.expect().get().withPath(NODES_PATH).andReturn(500, "etcd is unavailable").always();

        ClusterView view = cluster.view();

        assertThat(view.unknown()).hasValueSatisfying(cause -> assertThat(cause)
                .startsWith("GET /api/v1/nodes/n1: 500"));
    }

    @Test
    void aSlowApiMakesTheViewUnknown() {
        server.expect().get().delay(8, TimeUnit.SECONDS).withPath("/apis/apps/v1/daemonsets")
                .andReturn(200, "{\"kind\":\"DaemonSetList\",\"apiVersion\":\"apps/v1\",\"items\":[]}").always();

        long start = System.nanoTime();
        ClusterView view;
        try (KubernetesClient impatient = clientWithTimeout(Duration.ofMillis(1_500))) {
            view = new FabricCluster(impatient, NODE).view();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(7_000));
        assertThat(view.unknown()).hasValueSatisfying(cause -> assertThat(cause)
                .startsWith("GET /apis/apps/v1/daemonsets: "));
    }

    @Test
    void aMissingNodeMakesTheViewUnknown() {
        client.nodes().withName(NODE).delete();
        server.expect().get().withPath(NODES_PATH).andReturn(404, new StatusBuilder().withCode(404).build()).always();

        assertThat(cluster.view().unknown()).hasValueSatisfying(cause -> assertThat(cause).contains("404 Not Found"));
    }

    @Test
    void labelsAreSetAndRemovedAndAnUnchangedSetWritesNothing() {
        cluster.updateLabels(Map.of("katacontainers.io/kata-runtime", "false", "kata-deploy.katacontainers.io/default",
                "false"), Set.of());
        Map<String, String> after = cluster.updateLabels(Map.of("katacontainers.io/kata-runtime", "true"),
                Set.of("kata-deploy.katacontainers.io/default", "absent.example/key"));

        assertThat(after).containsEntry("katacontainers.io/kata-runtime", "true")
                .doesNotContainKey("kata-deploy.katacontainers.io/default")
                .containsEntry("kubernetes.io/hostname", NODE);
        String version = node().getMetadata().getResourceVersion();
        cluster.updateLabels(Map.of("katacontainers.io/kata-runtime", "true"), Set.of("absent.example/key"));
        assertThat(node().getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void aLabelWriteComputedFromAStaleNodeIsRefusedAndRecomputed() {
        int before = server.getRequestCount();
        cluster.updateLabels(Map.of("a.example/first", "1"), Set.of());
        int oneAttempt = server.getRequestCount() - before;
        Node stale = node();
        client.nodes().withName(NODE).edit(n -> new NodeBuilder(n).editMetadata()
                .addToLabels("someone.example/else", "x").endMetadata().build());
        server.expect().get().withPath(NODES_PATH).andReturn(200, stale).once();
        before = server.getRequestCount();

        Map<String, String> after = cluster.updateLabels(Map.of("a.example/x", "1"), Set.of());

        // the write computed from the stale node is refused by the server's resourceVersion check, then redone
        assertThat(server.getRequestCount() - before).isEqualTo(2 * oneAttempt);
        assertThat(after).containsEntry("a.example/x", "1").containsEntry("someone.example/else", "x");
    }

    @Test
    void labelsDroppedByARestartingKubeletAreAppliedAgainUntilTheyHold() {
        Map<String, String> ours = Map.of("katacontainers.io/kata-runtime", "true");
        CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
            sleep(400);
            edit(n -> n.editMetadata().removeFromLabels("katacontainers.io/kata-runtime").endMetadata().build());
        });

        Map<String, String> after = cluster.settleLabels(ours, Set.of(), Duration.ofMillis(1_500), Duration.ofSeconds(20));

        kubelet.join();
        assertThat(after).containsEntry("katacontainers.io/kata-runtime", "true");
        assertThat(node().getMetadata().getLabels()).containsEntry("katacontainers.io/kata-runtime", "true");
    }

    @Test
    void labelsThatNeverHoldAreAnError() {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                sleep(100);
                edit(n -> n.editMetadata().removeFromLabels("katacontainers.io/kata-runtime").endMetadata().build());
            }
        });
        try {
            assertThatThrownBy(() -> cluster.settleLabels(Map.of("katacontainers.io/kata-runtime", "true"), Set.of(),
                    Duration.ofSeconds(1), Duration.ofSeconds(3)))
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("did not hold for 1 s within 3 s")
                    .hasMessageContaining("keeps rewriting");
        } finally {
            stop.set(true);
            kubelet.join();
        }
    }

    /** Changes the node as another writer would, ignoring conflicts with our own writes. */
    private void edit(java.util.function.Function<NodeBuilder, Node> change) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                client.nodes().resource(change.apply(new NodeBuilder(node()))).update();
                return;
            } catch (RuntimeException conflict) {
                sleep(20);
            }
        }
    }

    @Test
    void aConflictingLabelWriteIsRetried() {
        server.expect().patch().withPath(NODES_PATH).andReturn(409, new StatusBuilder().withCode(409)
                .withReason("Conflict").withMessage("the object has been modified").build()).times(2);

        Map<String, String> after = cluster.updateLabels(Map.of("katacontainers.io/kata-runtime", "true"), Set.of());

        assertThat(after).containsEntry("katacontainers.io/kata-runtime", "true");
        assertThat(node().getMetadata().getLabels()).containsEntry("katacontainers.io/kata-runtime", "true");
    }

    @Test
    void aNodeThatChangesOnEveryAttemptFailsAfterTheLastRetry() {
        server.expect().patch().withPath(NODES_PATH).andReturn(409, new StatusBuilder().withCode(409)
                .withReason("Conflict").build()).times(FabricCluster.WRITE_ATTEMPTS);

        assertThatThrownBy(() -> cluster.updateLabels(Map.of("k.example/a", "true"), Set.of()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("changed on every one of " + FabricCluster.WRITE_ATTEMPTS + " attempts");
        assertThat(node().getMetadata().getLabels()).doesNotContainKey("k.example/a");
    }

    @Test
    void aLabelWriteRidesOutAnApiServerThatIsBrieflyDown() {
        server.expect().patch().withPath(NODES_PATH).andReturn(503, "apiserver restarting").once();
        server.expect().get().withPath(NODES_PATH).andReturn(500, "etcd leader changed").once();

        Map<String, String> after = cluster.updateLabels(Map.of("katacontainers.io/kata-runtime", "true"), Set.of());

        assertThat(after).containsEntry("katacontainers.io/kata-runtime", "true");
    }

    @Test
    void anUnreachableApiMakesTheViewUnknownAndAWriteAnError() {
        server.shutdown();

        assertThat(cluster.view().unknown()).hasValueSatisfying(cause -> assertThat(cause)
                .startsWith("GET /apis/apps/v1/daemonsets: "));
        assertThat(cluster.postEvent(EventType.WARNING, "CleanupSkipped", "unreachable")).isFalse();
        assertThatThrownBy(() -> cluster.updateLabels(Map.of("k.example/a", "true"), Set.of()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("in " + FabricCluster.WRITE_ATTEMPTS + " attempts")
                .hasMessageContaining("reachable");
    }

    @Test
    void aForbiddenLabelWriteIsAnErrorNamingTheMissingPermission() {
        server.expect().patch().withPath(NODES_PATH).andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("nodes \"n1\" is forbidden").build()).always();

        assertThatThrownBy(() -> cluster.updateLabels(Map.of("k.example/a", "true"), Set.of()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("403 Forbidden")
                .hasMessageContaining("may get and patch nodes");
    }

    @Test
    void startupTaintsAreRemovedByKeyOrByKeyAndEffect() {
        List<Taint> removed = cluster.removeTaints(List.of("kata.example/startup:NoExecute", "absent", " "));
        assertThat(removed).containsExactly(new Taint("kata.example/startup", "", "NoExecute"));
        assertThat(node().getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                .containsExactly("kata.example/startup:NoSchedule", "other:NoSchedule");

        removed = cluster.removeTaints(List.of("kata.example/startup"));
        assertThat(removed).containsExactly(new Taint("kata.example/startup", "", "NoSchedule"));
        assertThat(node().getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getValue() + ":" + t.getEffect())
                .containsExactly("other:v:NoSchedule");

        assertThat(cluster.removeTaints(List.of("kata.example/startup"))).isEmpty();
    }

    @Test
    void eventsArePostedOnTheNode() {
        assertThat(cluster.postEvent(EventType.WARNING, "CleanupSkipped", "The cluster state is unknown")).isTrue();

        List<Event> events = client.v1().events().inNamespace("default").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
            assertThat(e.getInvolvedObject().getName()).isEqualTo(NODE);
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("CleanupSkipped");
            assertThat(e.getMessage()).isEqualTo("The cluster state is unknown");
            assertThat(e.getSource().getComponent()).isEqualTo("kdeploy");
        });
    }

    @Test
    void anEventThatCannotBePostedIsReportedNotThrown() {
        server.expect().post().withPath("/api/v1/namespaces/default/events").andReturn(403, "forbidden").always();

        assertThat(cluster.postEvent(EventType.NORMAL, "Installed", "ok")).isFalse();
    }

    @Test
    void podsOnThisNodeUsingOurHandlersAreFound() {
        client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class).resource(new RuntimeClassBuilder()
                .withNewMetadata().withName("kata").endMetadata().withHandler("kata-qemu").build()).create();
        client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class).resource(new RuntimeClassBuilder()
                .withNewMetadata().withName("kata-qemu-b").endMetadata().withHandler("kata-qemu-b").build()).create();
        List<Pod> pods = List.of(
                pod("apps", "web", NODE, "kata", "Running"),
                pod("apps", "orphan", NODE, "kata-clh", "Pending"),
                pod("apps", "other-install", NODE, "kata-qemu-b", "Running"),
                pod("apps", "plain", NODE, null, "Running"),
                pod("apps", "done", NODE, "kata", "Succeeded"),
                pod("apps", "elsewhere", "n2", "kata", "Running"));
        server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1")
                .andReturn(200, new PodListBuilder().withItems(pods).build()).always();

        List<PodRef> using = cluster.podsUsingHandlers(List.of("kata-qemu", "kata-clh"));

        assertThat(using).containsExactly(
                new PodRef("apps", "web", "kata", "kata-qemu"),
                new PodRef("apps", "orphan", "kata-clh", "kata-clh"));
        assertThat(using.get(0).qualifiedName()).isEqualTo("apps/web");
    }

    @Test
    void podsThatCannotBeListedAreAnError() {
        server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1").andReturn(500, "boom").always();

        assertThatThrownBy(() -> cluster.podsUsingHandlers(List.of("kata-qemu")))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("Kata files stay in place");
    }

    private static Pod pod(String namespace, String name, String node, String runtimeClass, String phase) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).withRuntimeClassName(runtimeClass).endSpec()
                .withNewStatus().withPhase(phase).endStatus()
                .build();
    }

    @Test
    void waitingForReadyEndsWhenTheWatchSeesTheNodeReady() {
        CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
            sleep(300);
            setStatus(n -> n.editStatus().editFirstCondition().withStatus("True").withReason("KubeletReady")
                    .endCondition().endStatus().build());
        });

        long start = System.nanoTime();
        cluster.awaitReady(Duration.ofSeconds(20));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        kubelet.join();
        assertThat(FabricCluster.isReady(node())).isTrue();
    }

    @Test
    void aWatchTheServerEndsIsReestablishedFromAFreshRead() {
        String version = node().getMetadata().getResourceVersion();
        server.expect().get()
                .withPath("/api/v1/nodes?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dn1&resourceVersion="
                        + version + "&watch=true")
                .andReturn(410, new StatusBuilder().withCode(410).withReason("Expired").build()).once();
        CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
            sleep(500);
            setStatus(n -> n.editStatus().editFirstCondition().withStatus("True").endCondition().endStatus().build());
        });

        cluster.awaitReady(Duration.ofSeconds(20));

        kubelet.join();
        assertThat(FabricCluster.isReady(node())).isTrue();
    }

    @Test
    void aWaitRidesOutAnApiServerThatIsBrieflyDown() {
        server.expect().get().withPath(NODES_PATH).andReturn(503, "apiserver restarting").times(2);
        CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
            for (int attempt = 0; ; attempt++) {
                sleep(300);
                try {
                    setStatus(n -> n.editStatus().editFirstCondition().withStatus("True").endCondition().endStatus()
                            .build());
                    return;
                } catch (RuntimeException apiDown) {
                    assertThat(attempt).isLessThan(20);
                }
            }
        });

        cluster.awaitReady(Duration.ofSeconds(20));

        kubelet.join();
    }

    @Test
    void aForbiddenWaitFailsAtOnce() {
        server.expect().get().withPath(NODES_PATH).andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").build()).always();

        assertThatThrownBy(() -> cluster.awaitReady(Duration.ofSeconds(20)))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("403 Forbidden")
                .hasMessageContaining("may get and watch nodes");
    }

    @Test
    void anInterruptedWaitStopsAndKeepsTheInterrupt() throws Exception {
        CompletableFuture<Throwable> waiter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                cluster.awaitReady(Duration.ofSeconds(30));
                waiter.complete(null);
            } catch (RuntimeException e) {
                waiter.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("interrupt lost", e));
            }
        });
        t.start();
        sleep(500);
        t.interrupt();

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("interrupted");
    }

    @Test
    void waitingForReadyTimesOutWithTheLastCondition() {
        assertThatThrownBy(() -> cluster.awaitReady(Duration.ofMillis(600)))
                .isInstanceOf(ClusterException.class)
                .hasMessage("Node n1 did not become Ready within 0 s (last Ready condition: status=False,"
                        + " reason=KubeletNotReady, message=container runtime is down). The node labels stay 'false'."
                        + " Check the kubelet and the container runtime on the node (journalctl -u kubelet,"
                        + " -u containerd).");
    }

    @Test
    void handlersThatTheNodeDoesNotReportCannotBeConfirmed() {
        assertThat(cluster.awaitHandlers(List.of("kata-qemu"), Duration.ofSeconds(5))).isEqualTo(HandlerStatus.NOT_REPORTED);
    }

    @Test
    void waitingForHandlersEndsWhenAllAreReported() {
        setStatus(n -> n.editStatus().addNewRuntimeHandler().withName("runc").endRuntimeHandler().endStatus().build());
        CompletableFuture<Void> kubelet = CompletableFuture.runAsync(() -> {
            sleep(200);
            setStatus(n -> n.editStatus().addNewRuntimeHandler().withName("kata-qemu").endRuntimeHandler().endStatus()
                    .build());
            sleep(200);
            setStatus(n -> n.editStatus().addNewRuntimeHandler().withName("kata-clh").endRuntimeHandler().endStatus()
                    .build());
        });

        assertThat(cluster.awaitHandlers(List.of("kata-qemu", "kata-clh"), Duration.ofSeconds(20)))
                .isEqualTo(HandlerStatus.SERVED);
        kubelet.join();
    }

    @Test
    void waitingForHandlersTimesOutNamingTheMissingOnes() {
        setStatus(n -> n.editStatus().addNewRuntimeHandler().withName("runc").endRuntimeHandler()
                .addNewRuntimeHandler().withName("kata-qemu").endRuntimeHandler().endStatus().build());

        assertThatThrownBy(() -> cluster.awaitHandlers(List.of("kata-qemu", "kata-clh"), Duration.ofMillis(500)))
                .isInstanceOf(ClusterException.class)
                .hasMessageStartingWith("Node n1 does not report the runtime handlers [kata-clh] within 0 s; it reports"
                        + " [runc, kata-qemu].");
    }

    @Test
    void aBlankNodeNameIsRejected() {
        assertThatThrownBy(() -> new FabricCluster(client, " ")).hasMessageContaining("NODE_NAME");
    }

    private Node node() {
        return client.nodes().withName(NODE).get();
    }

    private void setStatus(java.util.function.Function<NodeBuilder, Node> change) {
        Node updated = change.apply(new NodeBuilder(node()));
        client.nodes().resource(updated).updateStatus();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
