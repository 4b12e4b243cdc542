package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kdeploy.core.artifacts.SampleBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kdeploy cleanup} with a cluster, through {@link Main#run}: the kubeconfig points at fabric8's mock API server, the
 * node name comes from {@code --node-name}, and the policy decides. Every run passes {@code --no-restart}.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterCommandsTest {
    private static final Path CORPUS = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NODE = "worker-1";

    KubernetesClient mockClient;

    @TempDir
    Path host;

    @TempDir
    Path work;

    private Path config;
    private String original;

    @BeforeEach
    void setUp() throws IOException {
        original = Files.readString(CORPUS.resolve(
                "containerd/containerd-1.7-suffix-nydus/input/etc/containerd/config.toml"));
        config = host.resolve("etc/containerd/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, original);
        Path kubeconfig = work.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n    server: "
                + mockClient.getConfiguration().getMasterUrl() + "\n    insecure-skip-tls-verify: true\n"
                + "contexts:\n- name: mock\n  context:\n    cluster: mock\n    user: mock\ncurrent-context: mock\n"
                + "users:\n- name: mock\n  user:\n    token: test\n");
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
        mockClient.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                .addToLabels("kubernetes.io/os", "linux").endMetadata().build()).create();
        mockClient.apps().daemonSets().resource(new DaemonSetBuilder()
                .withNewMetadata().withNamespace("kube-system").withName("kata-deploy").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addToNodeSelector("kubernetes.io/os", "linux")
                .endSpec().endTemplate().endSpec().build()).create();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    }

    private JsonNode kdeploy(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--no-restart", "--host-root", host.toString(),
                "--runtime-version", "containerd://1.7.24", "--shims", "qemu qemu-runtime-rs", "--output", "json"));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        try {
            return JSON.readTree(lines.get(lines.size() - 1));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, String> labels() {
        return mockClient.nodes().withName(NODE).get().getMetadata().getLabels();
    }

    @Test
    void cleanupAsksThePolicyAndDoesWhatItDecides() throws IOException {
        kdeploy("install", "--offline", "--artifacts", SampleBundle.writeTo(work.resolve("kata")).toString());
        String installed = Files.readString(config);
        mockClient.nodes().withName(NODE).edit(n -> new NodeBuilder(n).editMetadata()
                .addToLabels("katacontainers.io/kata-runtime", "true")
                .addToLabels("kata-deploy.katacontainers.io/default", "true").endMetadata().build());

        JsonNode skipped = kdeploy("cleanup", "--node-name", NODE);

        assertThat(skipped.get("decision").asText()).isEqualTo("SKIP");
        assertThat(skipped.get("reason").asText()).contains("kube-system/kata-deploy");
        assertThat(Files.readString(config)).isEqualTo(installed);
        assertThat(labels()).containsEntry("kata-deploy.katacontainers.io/default", "true");

        mockClient.apps().daemonSets().inNamespace("kube-system").withName("kata-deploy").delete();
        JsonNode preview = kdeploy("cleanup", "--node-name", NODE, "--dry-run");

        assertThat(preview.get("decision").asText()).isEqualTo("FULL");
        assertThat(Files.readString(config)).isEqualTo(installed);

        JsonNode cleaned = kdeploy("cleanup", "--node-name", NODE, "--policy", "three-stage");

        assertThat(cleaned.get("decision").asText()).isEqualTo("FULL");
        assertThat(cleaned.get("reason").asText()).contains("does not exist");
        assertThat(Files.readString(config)).isEqualTo(original);
        assertThat(host.resolve("opt/kata")).doesNotExist();
        assertThat(labels()).doesNotContainKeys("katacontainers.io/kata-runtime", "kata-deploy.katacontainers.io/default");
        assertThat(mockClient.v1().events().inNamespace("default").list().getItems())
                .anySatisfy(e -> assertThat(e.getMessage()).startsWith("FULL (policy three-stage"));
    }
}
