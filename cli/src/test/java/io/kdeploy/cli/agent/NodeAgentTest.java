package io.kdeploy.cli.agent;

import static io.kdeploy.cli.agent.MockCluster.NAMESPACE;
import static io.kdeploy.cli.agent.MockCluster.NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kdeploy.cli.host.Termination;
import io.kdeploy.cli.kube.FabricCluster;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.Kdeploy;
import io.kdeploy.core.RuntimeRejectedConfigException;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.cluster.ClusterPort;
import io.kdeploy.core.cluster.ClusterPort.ClusterException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class NodeAgentTest {
    static final String MARK = "kata-deploy.katacontainers.io/default";
    static final String SHARED = NodeAgent.SHARED_LABEL;
    static final AgentSettings FAST = AgentSettings.defaults().withHealthPort(0)
            .withWaits(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(5))
            .withStartupTaints(List.of("kata.example/startup"));

    KubernetesMockServer server;
    KubernetesClient mockClient;

    private MockCluster k8s;

    @BeforeEach
    void setUp() {
        k8s = new MockCluster(server, mockClient);
    }

    @AfterEach
    void tearDown() {
        k8s.close();
    }

    static Self self(String suffix) {
        return new Self(NAMESPACE, suffix.isEmpty() ? "kata-deploy" : "kata-deploy-" + suffix, suffix);
    }

    static NodeAgent agent(ClusterPort port, NodeHost host, String suffix, String policy, AgentSettings settings,
            Termination t) {
        return new NodeAgent(port, host, Kdeploy.discover().policy(policy), self(suffix), settings, t);
    }

    /** Starts the agent on its own thread and waits until it serves Kata. */
    private Running start(NodeHost host, String suffix) {
        Termination t = Termination.detached(Duration.ofSeconds(30));
        NodeAgent agent = agent(k8s.port(), host, suffix, "node-aware", FAST, t);
        String mark = self(suffix).nodeMarkLabel();
        long before = k8s.installedEvents(mark);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(agent::run);
        MockCluster.await(() -> run.isDone() || k8s.installedEvents(mark) > before, Duration.ofSeconds(15),
                "the agent to serve Kata");
        assertThat(run).isNotDone();
        return new Running(t, run);
    }

    record Running(Termination termination, CompletableFuture<Integer> run) {
        int sigterm() throws Exception {
            Thread hook = termination.signal();
            int status = run.get(20, TimeUnit.SECONDS);
            termination.finish(status);
            hook.join(5_000);
            return status;
        }
    }

    @Test
    void theAgentClaimsInstallsWaitsLabelsServesAndSkipsCleanupWhileItsDaemonSetLives() throws Exception {
        k8s.node(true, "kata-qemu", "runc").daemonSet(MockCluster.daemonSet("kata-deploy"));
        FakeHost host = new FakeHost("kata-qemu");

        Running agent = start(host, "");

        assertThat(k8s.labels()).containsEntry(SHARED, "true").containsEntry(MARK, "true");
        assertThat(k8s.node().getSpec().getTaints()).isEmpty();
        assertThat(host.calls).containsExactly("install", "installed");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataInstalled: ")
                .contains("the node reports the handlers [kata-qemu]"));

        // a rolling restart: the DaemonSet is still there and still selects the node
        assertThat(agent.sigterm()).isZero();

        assertThat(host.calls).containsExactly("install", "installed");
        assertThat(k8s.labels()).containsEntry(SHARED, "true").containsEntry(MARK, "true");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataCleanupDecision: SKIP (policy node-aware")
                .contains("kube-system/kata-deploy"));
    }

    @Test
    void theReadinessProbeAnswers503UntilInstalledAnd200After() throws Exception {
        k8s.node(false).daemonSet(MockCluster.daemonSet("kata-deploy"));
        int port = freePort();
        Termination t = Termination.detached(Duration.ofSeconds(30));
        NodeAgent agent = agent(k8s.port(), new FakeHost("kata-qemu"), "", "node-aware", FAST.withHealthPort(port), t);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(agent::run);
        MockCluster.await(() -> "false".equals(k8s.labels().get(MARK)), Duration.ofSeconds(10), "the claim");
        MockCluster.await(() -> status(port, "/healthz") == 200, Duration.ofSeconds(10), "/healthz");
        assertThat(status(port, "/readyz")).isEqualTo(503);

        k8s.editNode(n -> n.editStatus().editFirstCondition().withStatus("True").endCondition().endStatus());
        k8s.client.nodes().resource(k8s.node()).updateStatus();
        MockCluster.await(() -> status(port, "/readyz") == 200, Duration.ofSeconds(10), "/readyz 200");

        assertThat(new Running(t, run).sigterm()).isZero();
    }

    @Test
    void deletingTheDaemonSetMakesTheNextStopAFullCleanup() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy"));
        FakeHost host = new FakeHost("kata-qemu");
        Running agent = start(host, "");

        k8s.deleteDaemonSet("kata-deploy");
        assertThat(agent.sigterm()).isZero();

        assertThat(host.calls).containsExactly("install", "installed", "cleanup FULL keep []");
        assertThat(k8s.labels()).doesNotContainKeys(SHARED, MARK);
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataCleanupDecision: FULL"))
                .anySatisfy(e -> assertThat(e).startsWith("KataInstalled: ")
                        .contains("could not be confirmed")) // the node does not report runtimeHandlers
                .anySatisfy(e -> assertThat(e).startsWith("KataCleanedUp: kdeploy FULL cleanup"));
    }

    @Test
    void twoInstallsCleanOnlyTheOneWhoseDaemonSetWentAndTheSharedLabelStaysUntilTheLast() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy-a")).daemonSet(MockCluster.daemonSet("kata-deploy-b"));
        FakeHost a = new FakeHost("kata-qemu-a");
        FakeHost b = new FakeHost("kata-qemu-b");
        Running agentA = start(a, "a");
        Running agentB = start(b, "b");
        assertThat(k8s.labels()).containsEntry(SHARED, "true")
                .containsEntry("kata-deploy.katacontainers.io/a", "true")
                .containsEntry("kata-deploy.katacontainers.io/b", "true");

        k8s.deleteDaemonSet("kata-deploy-a");
        assertThat(agentA.sigterm()).isZero();

        assertThat(a.calls).containsExactly("install", "installed", "cleanup INSTANCE_ONLY keep []");
        assertThat(k8s.labels()).containsEntry(SHARED, "true").containsEntry("kata-deploy.katacontainers.io/b", "true")
                .doesNotContainKey("kata-deploy.katacontainers.io/a");

        k8s.deleteDaemonSet("kata-deploy-b");
        assertThat(agentB.sigterm()).isZero();

        assertThat(b.calls).containsExactly("install", "installed", "cleanup FULL keep []");
        assertThat(k8s.labels()).doesNotContainKeys(SHARED, "kata-deploy.katacontainers.io/b");
    }

    @Test
    void aDaemonSetThatNoLongerSelectsTheNodeIsCleanedByNodeAwareAndSkippedByThreeStage() {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy"));
        k8s.client.nodes().withName(NODE).edit(n -> {
            n.getMetadata().getLabels().remove("kubernetes.io/os");
            return n;
        });
        k8s.editNode(n -> n.editSpec().addNewTaint().withKey("dedicated").withValue("gpu").withEffect("NoSchedule")
                .endTaint().endSpec());
        k8s.client.nodes().withName(NODE).edit(n -> {
            n.getMetadata().getLabels().put(MARK, "true");
            n.getMetadata().getLabels().put(SHARED, "true");
            return n;
        });
        FakeHost threeStageHost = new FakeHost("kata-qemu");
        FakeHost nodeAwareHost = new FakeHost("kata-qemu");
        Termination t = Termination.detached(Duration.ofSeconds(1));

        CleanupOutcome skipped = agent(k8s.port(), threeStageHost, "", "three-stage", FAST, t).cleanup();
        assertThat(skipped.decision()).isInstanceOf(CleanupDecision.Skip.class);
        assertThat(threeStageHost.calls).isEmpty();
        assertThat(k8s.labels()).containsEntry(MARK, "true");

        CleanupOutcome cleaned = agent(k8s.port(), nodeAwareHost, "", "node-aware", FAST, t).cleanup();
        assertThat(cleaned.decision()).isInstanceOf(CleanupDecision.Full.class);
        assertThat(cleaned.decision().reason()).contains("no longer selects node " + NODE);
        assertThat(nodeAwareHost.calls).containsExactly("cleanup FULL keep []");
        assertThat(k8s.labels()).doesNotContainKeys(MARK, SHARED);
    }

    @Test
    void aServerErrorSkipsTheCleanupAndSaysSoInAnEvent() {
        k8s.node(true).daemonSet(MockCluster.daemonSet("other"));
        server.expect().get().withPath("/apis/apps/v1/daemonsets").andReturn(500, "etcd is unavailable").always();
        assertUnknownViewSkips(k8s.port(), "500");
    }

    @Test
    void aForbiddenListSkipsTheCleanup() {
        k8s.node(true);
        server.expect().get().withPath("/apis/apps/v1/daemonsets").andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("daemonsets.apps is forbidden").build()).always();
        assertUnknownViewSkips(k8s.port(), "403 Forbidden");
    }

    @Test
    void aSlowApiSkipsTheCleanup() {
        k8s.node(true);
        server.expect().get().delay(5, TimeUnit.SECONDS).withPath("/apis/apps/v1/daemonsets")
                .andReturn(200, "{\"kind\":\"DaemonSetList\",\"apiVersion\":\"apps/v1\",\"items\":[]}").always();
        try (KubernetesClient impatient = MockCluster.client(server, mockClient, Duration.ofMillis(800))) {
            assertUnknownViewSkips(new FabricCluster(impatient, NODE), "GET /apis/apps/v1/daemonsets");
        }
    }

    private void assertUnknownViewSkips(ClusterPort port, String cause) {
        FakeHost host = new FakeHost("kata-qemu");
        k8s.client.nodes().withName(NODE).edit(n -> {
            n.getMetadata().getLabels().put(MARK, "true");
            return n;
        });

        CleanupOutcome outcome = agent(port, host, "", "node-aware", FAST, Termination.detached(Duration.ofSeconds(1)))
                .cleanup();

        assertThat(outcome.decision()).isInstanceOf(CleanupDecision.Skip.class);
        assertThat(outcome.decision().reason()).contains(cause);
        assertThat(host.calls).isEmpty();
        assertThat(k8s.labels()).containsEntry(MARK, "true");
        assertThat(k8s.events()).singleElement().satisfies(e -> assertThat(e)
                .startsWith("KataCleanupDecision: SKIP (policy node-aware, instance " + MARK + "): ").contains(cause));
        assertThat(k8s.client.v1().events().inNamespace("default").list().getItems().get(0).getType())
                .isEqualTo("Warning");
    }

    @Test
    void aNodeThatDoesNotBecomeReadyFailsTheInstallAndTheLabelsStayFalse() {
        k8s.node(false).daemonSet(MockCluster.daemonSet("kata-deploy"));
        Termination t = Termination.detached(Duration.ofSeconds(1));
        NodeAgent agent = agent(k8s.port(), new FakeHost("kata-qemu"), "", "node-aware",
                FAST.withWaits(Duration.ofMillis(700), Duration.ofMillis(700), Duration.ofMillis(100), Duration.ofSeconds(5)), t);

        assertThatThrownBy(agent::run).isInstanceOfSatisfying(ClusterException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("did not become Ready within 0 s").hasMessageContaining("labels stay 'false'");

        assertThat(k8s.labels()).containsEntry(MARK, "false").containsEntry(SHARED, "false");
        assertThat(k8s.node().getSpec().getTaints()).isNotEmpty();
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataInstallFailed: "));
    }

    @Test
    void handlersThatDoNotAppearFailTheInstallAndTheLabelsStayFalse() {
        k8s.node(true, "runc").daemonSet(MockCluster.daemonSet("kata-deploy"));
        NodeAgent agent = agent(k8s.port(), new FakeHost("kata-qemu"), "", "node-aware",
                FAST.withWaits(Duration.ofSeconds(5), Duration.ofMillis(700), Duration.ofMillis(100), Duration.ofSeconds(5)),
                Termination.detached(Duration.ofSeconds(1)));

        assertThatThrownBy(agent::run).isInstanceOfSatisfying(ClusterException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("does not report the runtime handlers [kata-qemu]")
                .hasMessageContaining("it reports [runc]");

        assertThat(k8s.labels()).containsEntry(MARK, "false").containsEntry(SHARED, "false");
    }

    @Test
    void aRejectedConfigFailsWithItsOwnExitCodeAndTheLabelsStayFalse() {
        k8s.node(true);
        FakeHost host = new FakeHost("kata-qemu").failInstall(new RuntimeRejectedConfigException("containerd said no", ""));
        NodeAgent agent = agent(k8s.port(), host, "", "node-aware", FAST, Termination.detached(Duration.ofSeconds(1)));

        assertThatThrownBy(agent::run).isInstanceOfSatisfying(RuntimeRejectedConfigException.class,
                e -> assertThat(e.exitCode()).isEqualTo(4));
        assertThat(k8s.labels()).containsEntry(MARK, "false");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataInstallFailed: ")
                .contains("containerd said no"));
    }

    @Test
    void theSharedLabelOfAnotherServingInstallIsNotDowngradedByAClaim() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy-b"));
        k8s.client.nodes().withName(NODE).edit(n -> {
            n.getMetadata().getLabels().put(SHARED, "true");
            n.getMetadata().getLabels().put("kata-deploy.katacontainers.io/a", "true");
            return n;
        });
        FakeHost host = new FakeHost("kata-qemu-b").holdInstall();
        Termination t = Termination.detached(Duration.ofSeconds(30));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                agent(k8s.port(), host, "b", "node-aware", FAST, t)::run);
        host.awaitInstallEntered();

        assertThat(k8s.labels()).containsEntry(SHARED, "true").containsEntry("kata-deploy.katacontainers.io/b", "false");

        host.releaseInstall();
        MockCluster.await(() -> "true".equals(k8s.labels().get("kata-deploy.katacontainers.io/b")),
                Duration.ofSeconds(10), "install b");
        assertThat(new Running(t, run).sigterm()).isZero();
    }

    @Test
    void sigtermDuringTheInstallStopsAtTheNextSafePointAndCleansUp() throws Exception {
        k8s.node(true);
        FakeHost host = new FakeHost("kata-qemu").holdInstall();
        Termination t = Termination.detached(Duration.ofSeconds(30));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                agent(k8s.port(), host, "", "node-aware", FAST, t)::run);
        host.awaitInstallEntered();

        Thread hook = t.signal();
        MockCluster.await(t::requested, Duration.ofSeconds(5), "the stop request");
        host.releaseInstall();
        int status = run.get(20, TimeUnit.SECONDS);
        t.finish(status);
        hook.join(5_000);

        assertThat(status).isZero();
        assertThat(host.calls).containsExactly("install", "cleanup FULL keep []");
        assertThat(k8s.labels()).doesNotContainKeys(MARK, SHARED);
    }

    @Test
    void sigtermWhileWaitingForReadyAbandonsTheWaitAndCleansUp() throws Exception {
        k8s.node(false);
        FakeHost host = new FakeHost("kata-qemu");
        Termination t = Termination.detached(Duration.ofSeconds(30));
        NodeAgent agent = agent(k8s.port(), host, "", "node-aware",
                FAST.withWaits(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(5)), t);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(agent::run);
        MockCluster.await(() -> host.calls.contains("installed"), Duration.ofSeconds(10), "the install");
        Thread.sleep(200);

        long start = System.nanoTime();
        assertThat(new Running(t, run).sigterm()).isZero();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(host.calls).containsExactly("install", "installed", "cleanup FULL keep []");
    }

    @Test
    void runningPodsKeepTheirFilesUntilALaterCleanupFindsThemGone() {
        k8s.node(true).runtimeClass("kata", "kata-qemu").runningPod("apps", "web-0", "kata");
        k8s.client.nodes().withName(NODE).edit(n -> {
            n.getMetadata().getLabels().put(MARK, "true");
            n.getMetadata().getLabels().put(SHARED, "true");
            return n;
        });
        FakeHost host = new FakeHost("kata-qemu", "kata-clh");
        NodeAgent agent = agent(k8s.port(), host, "", "node-aware", FAST, Termination.detached(Duration.ofSeconds(1)));

        CleanupOutcome first = agent.cleanup();

        assertThat(first.removalPending()).isTrue();
        assertThat(first.handlersKept()).containsExactly("kata-qemu");
        assertThat(host.calls).containsExactly("cleanup FULL keep [kata-qemu]");
        assertThat(k8s.labels()).doesNotContainKeys(MARK, SHARED);
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataFilesKept: ")
                .contains("apps/web-0 (kata)"));

        k8s.deletePod("apps", "web-0");
        CleanupOutcome second = agent.cleanup();

        assertThat(second.removalPending()).isFalse();
        assertThat(host.calls).containsExactly("cleanup FULL keep [kata-qemu]", "cleanup FULL keep []");
    }

    @Test
    void podsThatCannotBeListedKeepEveryHandlersFiles() {
        k8s.node(true);
        server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE).andReturn(500, "boom")
                .always();
        FakeHost host = new FakeHost("kata-qemu", "kata-clh");

        CleanupOutcome outcome = agent(k8s.port(), host, "", "node-aware", FAST,
                Termination.detached(Duration.ofSeconds(1))).cleanup();

        assertThat(outcome.handlersKept()).containsExactlyInAnyOrder("kata-qemu", "kata-clh");
        assertThat(host.calls).containsExactly("cleanup FULL keep [kata-clh, kata-qemu]");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataFilesKept: Cannot tell"));
    }

    @Test
    void theNextAgentStartFinishesAPendingRemovalOnceNoPodUsesTheFiles() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy"));
        FakeHost host = new FakeHost("kata-qemu").pending(new CleanupDecision.Full("earlier"));

        Running agent = start(host, "");

        assertThat(host.calls).containsExactly("cleanup FULL keep []", "install", "installed");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataCleanupFinished: "));
        assertThat(agent.sigterm()).isZero();
    }

    @Test
    void aPendingRemovalStaysWhileItsPodsRun() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy")).runtimeClass("kata", "kata-qemu")
                .runningPod("apps", "web-0", "kata");
        FakeHost host = new FakeHost("kata-qemu").pending(new CleanupDecision.Full("earlier"));

        Running agent = start(host, "");

        assertThat(host.calls).containsExactly("install", "installed");
        assertThat(agent.sigterm()).isZero();
    }

    private static int status(int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                    .openConnection();
            c.setConnectTimeout(2_000);
            c.setReadTimeout(2_000);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
