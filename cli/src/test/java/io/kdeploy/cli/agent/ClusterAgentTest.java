package io.kdeploy.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kdeploy.cli.host.Termination;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.PerShim;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.SampleBundle;
import io.kdeploy.core.deploy.CleanupRequest;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import io.kdeploy.core.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ClusterAgentTest {
    private static final RuntimeInfo CONTAINERD_17 = RuntimeInfo.parse("containerd://1.7.24");

    KubernetesMockServer server;
    KubernetesClient mockClient;

    @TempDir
    Path host;

    @TempDir
    Path work;

    private MockCluster k8s;
    private final List<String> restarts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        k8s = new MockCluster(server, mockClient);
        Files.createDirectories(host.resolve("etc/containerd"));
        Files.copy(Path.of(System.getProperty("kdeploy.corpus"), "containerd", "containerd-1.7-suffix-nydus", "input",
                "etc", "containerd", "config.toml"), host.resolve("etc/containerd/config.toml"));
    }

    @AfterEach
    void tearDown() {
        k8s.close();
    }

    private static DeploySpec spec() {
        return new DeploySpec(SampleBundle.SHIMS, "qemu", "", "", false, Map.of(), Map.of(), Set.of(), PerShim.NONE,
                PerShim.NONE, PerShim.NONE, "kata-deploy", MockCluster.NODE);
    }

    @Test
    void theClusterModeNeedsANodeNameAndARealRun() {
        assertThat(ClusterAgent.applies(spec(), false, false)).isTrue();
        assertThat(ClusterAgent.applies(spec(), true, false)).isFalse();
        assertThat(ClusterAgent.applies(spec(), false, true)).isFalse();
        assertThat(ClusterAgent.applies(DeploySpec.of("qemu"), false, false)).isFalse();
    }

    @Test
    void installRunsTheLifeCycleAndCleanupDecidesWithTheChosenPolicy() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy"));
        NodeDeployment deployment = NodeDeployment.builder(host).restarter(restarts::add).build();
        InstallRequest request = InstallRequest.of(spec()).withRuntime(CONTAINERD_17)
                .withArtifacts(ArtifactSource.of(SampleBundle.writeTo(work.resolve("kata"))));
        Termination t = Termination.detached(Duration.ofSeconds(30));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> ClusterAgent.install(k8s.client, deployment,
                request, ClusterAgent.policy("three-stage"), NodeAgentTest.FAST, t));
        MockCluster.await(() -> k8s.events().stream().anyMatch(e -> e.startsWith("KataInstalled: ")),
                Duration.ofSeconds(20), "the install");

        k8s.deleteDaemonSet("kata-deploy");
        t.signal();

        assertThat(run.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(t.exitCode()).isZero();
        assertThat(restarts).containsExactly("containerd", "containerd");
        assertThat(host.resolve("opt/kata")).doesNotExist();

        CleanupOutcome again = ClusterAgent.cleanup(k8s.client, deployment, CleanupRequest.of(spec(),
                new CleanupDecision.Skip("replaced by the policy's decision")).withRuntime(CONTAINERD_17),
                ClusterAgent.policy("node-aware"), NodeAgentTest.FAST);
        assertThat(again.policy()).isEqualTo("node-aware");
        assertThat(again.decision()).isInstanceOf(CleanupDecision.Full.class);
        assertThat(again.report().changedFiles()).isEmpty();
        assertThat(again.report().artifactFilesRemoved()).isZero();
        assertThat(again.report().restarted()).isFalse();
    }

    @Test
    void anUnknownPolicyIsABadUsage() {
        assertThatThrownBy(() -> ClusterAgent.policy("aggressive")).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.exitCode()).isEqualTo(2)).hasMessageContaining("node-aware, three-stage");
    }

    @Test
    void settingsComeFromThePodsEnvironmentAndTheProbePortFromTheSpec() {
        Map<String, String> env = Map.of("POD_NAMESPACE", "kata-system", "HEALTH_PORT", "9090",
                "STARTUP_TAINTS", "kata.example/startup:NoSchedule, other.example/boot");
        DeploySpec spec = SpecLoader.forCurrentArch().load(Map.of(), env, (Path) null).spec();
        AgentSettings s = AgentSettings.fromEnvironment(spec, env);

        assertThat(s.namespace()).isEqualTo("kata-system");
        assertThat(s.healthPort()).isEqualTo(9090).isEqualTo(spec.extras().healthPort());
        assertThat(s.startupTaints()).containsExactly("kata.example/startup:NoSchedule", "other.example/boot");
        assertThat(s.readyTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.handlersTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(AgentSettings.fromEnvironment(DeploySpec.of("qemu"), Map.of("HEALTH_PORT", "9090")))
                .as("HEALTH_PORT is read once, by the spec loader").isEqualTo(AgentSettings.defaults());
        assertThatThrownBy(() -> SpecLoader.forCurrentArch().load(Map.of(), Map.of("HEALTH_PORT", "http"), (Path) null))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("HEALTH_PORT")
                .hasMessageContaining("'http' is not a TCP port");
    }
}
