package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kdeploy reset} against fabric8's mock API server (CRUD mode), restarting through a fake {@code systemctl}: another
 * install holding the node means no restart; alone, the labels go, containerd and kubelet restart and the node's
 * {@code Ready} is awaited.
 */
@EnableKubernetesMockClient(crud = true)
class ResetCommandTest {
    private static final Path CORPUS = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"));
    private static final String NODE = "worker-1";
    private static final String SHARED = "katacontainers.io/kata-runtime";
    private static final String OURS = "kata-deploy.katacontainers.io/default";
    private static final String OTHER = "kata-deploy.katacontainers.io/blue";

    KubernetesClient mockClient;

    @TempDir
    Path host;

    @TempDir
    Path work;

    @TempDir
    Path bin;

    private StageFixture fake;

    @BeforeEach
    void setUp() throws IOException {
        Path config = host.resolve("etc/containerd/config.toml");
        Files.createDirectories(config.getParent());
        Files.copy(CORPUS.resolve("containerd/containerd-1.7-suffix-nydus/input/etc/containerd/config.toml"), config);
        Path kubeconfig = work.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: "
                + mockClient.getConfiguration().getMasterUrl() + "\n    insecure-skip-tls-verify: true\n"
                + "contexts:\n- name: mock\n  context:\n    cluster: mock\n    user: mock\ncurrent-context: mock\n"
                + "users:\n- name: mock\n  user:\n    token: test\n");
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
        // Our own DaemonSet still selects the node: a reset is asked for, so it does not count.
        mockClient.apps().daemonSets().resource(new DaemonSetBuilder()
                .withNewMetadata().withNamespace("kube-system").withName("kata-deploy").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addToNodeSelector("kubernetes.io/os", "linux")
                .endSpec().endTemplate().endSpec().build()).create();
        fake = new StageFixture(bin);
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    }

    private void node(boolean ready, String... marks) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(NODE).addToLabels("kubernetes.io/os", "linux")
                .addToLabels(SHARED, "true").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus();
        for (String mark : marks) {
            b.editMetadata().addToLabels(mark, "true").endMetadata();
        }
        mockClient.nodes().resource(b.build()).create();
    }

    private Map<String, String> labels() {
        return new TreeMap<>(mockClient.nodes().withName(NODE).get().getMetadata().getLabels());
    }

    private JsonNode reset(String... more) {
        List<String> args = new ArrayList<>(List.of("--host-root", host.toString(), "--node-name", NODE,
                "--runtime-version", "containerd://1.7.22", "--output", "json"));
        args.addAll(List.of(more));
        StageFixture.Result r = StageFixture.run(new ResetCommand(fake.environment()), args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r.json();
    }

    @Test
    void anotherInstallHoldingTheNodeMeansOnlyOurMarkGoesAndNothingRestarts() {
        node(false, OURS, OTHER);

        JsonNode json = reset();

        assertThat(json.get("decision").asText()).isEqualTo("INSTANCE_ONLY");
        assertThat(json.get("reason").asText()).contains("another install holds node worker-1", OTHER);
        assertThat(json.get("restarted")).isEmpty();
        assertThat(labels()).doesNotContainKey(OURS).containsEntry(OTHER, "true").containsEntry(SHARED, "true");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aloneTheLabelsGoThenContainerdAndKubeletRestartAndReadyIsAwaited() throws Exception {
        node(false, OURS);
        AtomicLong readyAt = new AtomicLong();
        CompletableFuture<Void> kubeletBack = CompletableFuture.runAsync(() -> {
            while (!fake.restarts().contains("kubelet")) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            readyAt.set(System.nanoTime());
            mockClient.nodes().withName(NODE).edit(n -> new NodeBuilder(n).editStatus().editFirstCondition()
                    .withStatus("True").endCondition().endStatus().build());
        });

        JsonNode json = reset();
        long returnedAt = System.nanoTime();

        kubeletBack.get(10, TimeUnit.SECONDS);
        assertThat(readyAt.get()).as("reset waits for Ready after the restarts").isNotZero().isLessThan(returnedAt);
        assertThat(json.get("decision").asText()).isEqualTo("FULL");
        assertThat(json.get("removedLabels").toString()).contains(OURS, SHARED);
        assertThat(json.get("restarted").toString()).isEqualTo("[\"containerd\",\"kubelet\"]");
        assertThat(labels()).doesNotContainKeys(OURS, SHARED);
        assertThat(fake.restarts()).containsExactly("containerd", "kubelet");
        assertThat(mockClient.nodes().withName(NODE).get().getStatus().getConditions().get(0).getStatus())
                .isEqualTo("True");
    }

    @Test
    void aDryRunDecidesButChangesNothing() {
        node(true, OURS);

        JsonNode json = reset("--dry-run");

        assertThat(json.get("dryRun").asBoolean()).isTrue();
        assertThat(json.get("decision").asText()).isEqualTo("FULL");
        assertThat(labels()).containsKeys(OURS, SHARED);
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void withoutANodeNameResetIsExitCode2() {
        StageFixture.Result r = StageFixture.run(new ResetCommand(fake.environment()), "--host-root", host.toString(),
                "--runtime-version", "containerd://1.7.22");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--node-name");
    }
}
