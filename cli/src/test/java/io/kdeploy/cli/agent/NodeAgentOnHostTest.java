package io.kdeploy.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.kdeploy.cli.host.Termination;
import io.kdeploy.core.CleanupDecision;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.artifacts.ArtifactSource;
import io.kdeploy.core.artifacts.SampleBundle;
import io.kdeploy.core.deploy.InstallRequest;
import io.kdeploy.core.deploy.NodeDeployment;
import io.kdeploy.core.plan.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with the real {@link NodeDeployment} (containerd configurer, artifact installer) on a temporary host root with a
 * containerd 1.7 configuration, against the mock API server, with a restarter that records its calls.
 */
@EnableKubernetesMockClient(crud = true)
class NodeAgentOnHostTest {
    private static final String CONFIG = "/etc/containerd/config.toml";
    private static final RuntimeInfo CONTAINERD_17 = RuntimeInfo.parse("containerd://1.7.24");
    private static final String SHARED = NodeAgent.SHARED_LABEL;

    KubernetesMockServer server;
    KubernetesClient mockClient;

    @TempDir
    Path host;

    @TempDir
    Path work;

    private MockCluster k8s;
    private ArtifactSource artifacts;
    private final List<String> restarts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        k8s = new MockCluster(server, mockClient);
        Path input = Path.of(System.getProperty("kdeploy.corpus"), "containerd", "containerd-1.7-suffix-nydus", "input",
                "etc", "containerd", "config.toml");
        Files.createDirectories(host.resolve("etc/containerd"));
        Files.copy(input, host.resolve("etc/containerd/config.toml"));
        artifacts = ArtifactSource.of(SampleBundle.writeTo(work.resolve("kata")));
    }

    @AfterEach
    void tearDown() {
        k8s.close();
    }

    private static DeploySpec spec(String suffix) {
        return DeploySpec.of(SampleBundle.SHIMS.toArray(String[]::new)).withSuffix(suffix);
    }

    private NodeAgent agent(String suffix, String policy, Termination t) {
        NodeDeployment deployment = NodeDeployment.builder(host).restarter(restarts::add).build();
        NodeHost nodeHost = DeploymentHost.of(deployment,
                InstallRequest.of(spec(suffix)).withRuntime(CONTAINERD_17).withArtifacts(artifacts));
        return NodeAgentTest.agent(k8s.port(), nodeHost, suffix, policy, NodeAgentTest.FAST, t);
    }

    private NodeAgentTest.Running start(String suffix) {
        Termination t = Termination.detached(Duration.ofSeconds(30));
        String mark = NodeAgentTest.self(suffix).nodeMarkLabel();
        long before = k8s.installedEvents(mark);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(agent(suffix, "node-aware", t)::run);
        MockCluster.await(() -> run.isDone() || k8s.installedEvents(mark) > before, Duration.ofSeconds(20),
                "the agent to serve Kata");
        assertThat(run).isNotDone();
        return new NodeAgentTest.Running(t, run);
    }

    /**
     * The seed's regression (kata-deploy issue #12761): a rolling restart must not take Kata off the node. While the
     * DaemonSet lives, SIGTERM leaves every host file byte-identical and restarts nothing; once it is deleted, SIGTERM
     * restores the original files, restarts the runtime and removes the labels.
     */
    @Test
    void aRollingRestartTouchesNothingAndDeletingTheDaemonSetRestoresTheNode() throws Exception {
        k8s.node(true, "runc", "kata-qemu", "kata-qemu-runtime-rs").daemonSet(MockCluster.daemonSet("kata-deploy"));
        Map<String, String> original = snapshot();

        NodeAgentTest.Running first = start("");
        assertThat(restarts).containsExactly("containerd");
        assertThat(read(CONFIG)).contains("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]");
        assertThat(host.resolve("opt/kata/bin/containerd-shim-kata-v2")).isRegularFile();
        Map<String, String> installed = snapshot();

        assertThat(first.sigterm()).isZero();

        assertThat(snapshot()).isEqualTo(installed);
        assertThat(restarts).containsExactly("containerd");
        assertThat(k8s.labels()).containsEntry(SHARED, "true").containsEntry("kata-deploy.katacontainers.io/default", "true");

        // the replacement pod: re-installing the same thing writes nothing and restarts nothing
        NodeAgentTest.Running second = start("");
        assertThat(snapshot()).isEqualTo(installed);
        assertThat(restarts).containsExactly("containerd");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataInstalled: ")
                .contains("no configuration file changed, 0 artifact file(s) written, no runtime restart needed"));

        k8s.deleteDaemonSet("kata-deploy");
        assertThat(second.sigterm()).isZero();

        assertThat(withoutLock(snapshot())).isEqualTo(original);
        assertThat(restarts).containsExactly("containerd", "containerd");
        assertThat(k8s.labels()).doesNotContainKeys(SHARED, "kata-deploy.katacontainers.io/default");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataCleanedUp: kdeploy FULL cleanup"));
    }

    @Test
    void twoInstallsOnOneNodeLeaveOneAtATimeAndTheLastRestoresTheOriginal() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy-a")).daemonSet(MockCluster.daemonSet("kata-deploy-b"));
        Map<String, String> original = snapshot();
        NodeAgentTest.Running a = start("a");
        NodeAgentTest.Running b = start("b");
        assertThat(read(CONFIG)).contains("runtimes.kata-qemu-a]", "runtimes.kata-qemu-b]");

        k8s.deleteDaemonSet("kata-deploy-a");
        assertThat(a.sigterm()).isZero();

        assertThat(read(CONFIG)).doesNotContain("runtimes.kata-qemu-a]").contains("runtimes.kata-qemu-b]");
        assertThat(host.resolve("opt/kata-a")).doesNotExist();
        assertThat(host.resolve("opt/kata-b/bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(restarts).containsExactly("containerd", "containerd"); // the two installs; INSTANCE_ONLY does not restart
        assertThat(k8s.labels()).containsEntry(SHARED, "true").containsEntry("kata-deploy.katacontainers.io/b", "true")
                .doesNotContainKey("kata-deploy.katacontainers.io/a");

        k8s.deleteDaemonSet("kata-deploy-b");
        assertThat(b.sigterm()).isZero();

        assertThat(withoutLock(snapshot())).isEqualTo(original);
        assertThat(restarts).hasSize(3);
        assertThat(k8s.labels()).doesNotContainKeys(SHARED, "kata-deploy.katacontainers.io/b");
    }

    @Test
    void anUnreadableClusterLeavesTheHostUntouched() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy"));
        NodeAgentTest.Running agent = start("");
        Map<String, String> installed = snapshot();
        k8s.deleteDaemonSet("kata-deploy");
        server.expect().get().withPath("/apis/apps/v1/daemonsets").andReturn(500, "etcd is unavailable").always();

        assertThat(agent.sigterm()).isZero();

        assertThat(snapshot()).isEqualTo(installed);
        assertThat(restarts).containsExactly("containerd");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataCleanupDecision: SKIP").contains("500"));
    }

    @Test
    void aRunningKataPodKeepsItsShimUntilItIsGone() throws Exception {
        k8s.node(true).daemonSet(MockCluster.daemonSet("kata-deploy")).runtimeClass("kata", "kata-qemu")
                .runningPod("apps", "web-0", "kata");
        Map<String, String> original = snapshot();
        NodeAgentTest.Running agent = start("");
        k8s.deleteDaemonSet("kata-deploy");

        assertThat(agent.sigterm()).isZero();

        assertThat(read(CONFIG)).doesNotContain("kata-qemu");
        assertThat(host.resolve("opt/kata/bin/containerd-shim-kata-v2")).isRegularFile();
        assertThat(k8s.labels()).doesNotContainKeys(SHARED, "kata-deploy.katacontainers.io/default");
        assertThat(k8s.events()).anySatisfy(e -> assertThat(e).startsWith("KataFilesKept: ").contains("apps/web-0"));

        k8s.deletePod("apps", "web-0");
        CleanupOutcome later = agent("", "node-aware", Termination.detached(Duration.ofSeconds(1))).cleanup();

        assertThat(later.decision()).isInstanceOf(CleanupDecision.Full.class);
        assertThat(later.removalPending()).isFalse();
        assertThat(host.resolve("opt/kata")).doesNotExist();
        assertThat(withoutLock(snapshot()).keySet()).isEqualTo(original.keySet());
        assertThat(read(CONFIG)).isEqualTo(new String(Files.readAllBytes(Path.of(System.getProperty("kdeploy.corpus"),
                "containerd", "containerd-1.7-suffix-nydus", "input", "etc", "containerd", "config.toml"))));
    }

    private String read(String nodePath) {
        try {
            return Files.readString(host.resolve(nodePath.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the host root by node path: its sha256, or the target of a symlink. */
    private Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(host)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String node = "/" + host.relativize(p);
                if (a.isSymbolicLink()) {
                    out.put(node, "-> " + Files.readSymbolicLink(p));
                } else if (a.isRegularFile()) {
                    out.put(node, Bytes.of(Files.readAllBytes(p)).sha256());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Map<String, String> withoutLock(Map<String, String> snapshot) {
        Map<String, String> out = new TreeMap<>(snapshot);
        out.remove("/run/lock/kdeploy.lock");
        return out;
    }
}
