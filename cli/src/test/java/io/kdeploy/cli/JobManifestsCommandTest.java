package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code kdeploy manifests --mode job}: per-node Jobs of the staged actions, checked field by field and against the
 * checked-in {@code src/deploy/kdeploy-jobs-example.yaml} and {@code kdeploy-cleanup-jobs-example.yaml}. After changing
 * the generator run this test with {@code -Dgolden.update=true} once and commit the files.
 */
class JobManifestsCommandTest {
    private static final Path DEPLOY = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus")).resolveSibling("deploy");

    private static final String[] EXAMPLE = {"manifests", "--mode", "job", "--shims", "qemu qemu-runtime-rs",
        "--node", "worker-1", "--node", "worker-2", "--runtime-version", "containerd://1.7.22",
        "--machine-id", "worker-1=0f3c5e6d7a8b49c0a1b2c3d4e5f60718"};

    record Run(int exit, String out, String err) {
        static Run of(String... args) {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
            return new Run(code, o.toString(), e.toString());
        }

        List<HasMetadata> objects() {
            List<HasMetadata> all = new ArrayList<>();
            KubernetesSerialization s = new KubernetesSerialization();
            for (String doc : out.split("(?m)^---\\n")) {
                if (!doc.isBlank()) {
                    all.add(s.unmarshal(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))));
                }
            }
            return all;
        }
    }

    private static Map<String, String> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void oneNodePinnedJobPerNodeRunsTheInstallStagesWithoutAnApiToken() {
        Run run = Run.of(EXAMPLE);
        assertThat(run.exit()).as(run.err()).isZero();

        List<Job> jobs = run.objects().stream().filter(Job.class::isInstance).map(Job.class::cast).toList();
        assertThat(jobs).extracting(j -> j.getMetadata().getName())
                .containsExactly("kata-deploy-install-worker-1", "kata-deploy-install-worker-2");
        PodSpec pod = jobs.get(0).getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeName()).isEqualTo("worker-1");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isNull();
        assertThat(pod.getRestartPolicy()).isEqualTo("OnFailure");
        assertThat(pod.getInitContainers()).extracting(c -> c.getArgs().get(0))
                .containsExactly("install-stage-host-check", "install-stage-artifacts");
        assertThat(pod.getInitContainers().get(1).getArgs()).contains("--artifacts", "/opt/kata-artifacts");
        assertThat(pod.getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getArgs()).containsExactly("install-stage-cri", "--host-root", "/host");
            assertThat(env(c)).containsEntry("CONTAINER_RUNTIME_VERSION", "containerd://1.7.22")
                    .containsEntry("NODE_MACHINE_ID", "0f3c5e6d7a8b49c0a1b2c3d4e5f60718")
                    .containsEntry("SHIMS", "qemu qemu-runtime-rs")
                    .doesNotContainKeys("NODE_NAME", "POD_NAMESPACE", "HEALTH_PORT", "DAEMONSET_NAME");
        });
        Container second = jobs.get(1).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(jobs.get(1).getSpec().getTemplate().getSpec().getNodeName()).isEqualTo("worker-2");
        assertThat(env(second)).doesNotContainKey("NODE_MACHINE_ID");
        assertThat(run.objects()).filteredOn(o -> o.getKind().equals("RuntimeClass")).hasSize(2);
        assertThat(run.objects()).noneMatch(o -> o.getKind().equals("ServiceAccount") || o.getKind().equals("DaemonSet"));
    }

    @Test
    void theCleanupSetRevertsTheRuntimeConfigThenRemovesTheArtifacts() {
        Run run = Run.of("manifests", "--mode", "job", "--job-set", "cleanup", "--suffix", "b", "--node", "worker-1");
        assertThat(run.exit()).as(run.err()).isZero();

        assertThat(run.objects()).singleElement().isInstanceOfSatisfying(Job.class, job -> {
            assertThat(job.getMetadata().getName()).isEqualTo("kata-deploy-b-cleanup-worker-1");
            PodSpec pod = job.getSpec().getTemplate().getSpec();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getInitContainers()).extracting(c -> c.getArgs().get(0))
                    .containsExactly("cleanup-stage-revert-cri");
            assertThat(pod.getContainers()).extracting(c -> c.getArgs().get(0))
                    .containsExactly("cleanup-stage-remove-artifacts");
            assertThat(env(pod.getContainers().get(0))).containsEntry("MULTI_INSTALL_SUFFIX", "b")
                    .doesNotContainKey("CONTAINER_RUNTIME_VERSION");
        });
    }

    @Test
    void jobModeWithoutNodesOrWithAStrayMachineIdIsExitCode2() {
        Run none = Run.of("manifests", "--mode", "job");
        Run stray = Run.of("manifests", "--mode", "job", "--node", "a", "--machine-id", "b=123");
        Run mode = Run.of("manifests", "--mode", "cronjob");

        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--node NAME");
        assertThat(stray.exit()).isEqualTo(2);
        assertThat(stray.err()).contains("--machine-id names node 'b'");
        assertThat(mode.exit()).isEqualTo(2);
        assertThat(mode.err()).contains("Use daemonset or job");
    }

    @Test
    void theCheckedInJobExamplesAreWhatTheGeneratorRenders() throws IOException {
        golden("kdeploy-jobs-example.yaml", Run.of(EXAMPLE));
        String[] cleanup = Arrays.copyOf(EXAMPLE, EXAMPLE.length + 2);
        cleanup[EXAMPLE.length] = "--job-set";
        cleanup[EXAMPLE.length + 1] = "cleanup";
        golden("kdeploy-cleanup-jobs-example.yaml", Run.of(cleanup));
    }

    private static void golden(String name, Run run) throws IOException {
        assertThat(run.exit()).as(run.err()).isZero();
        Path golden = DEPLOY.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, run.out(), StandardCharsets.UTF_8);
        }
        assertThat(golden).exists();
        assertThat(run.out())
                .as("src/deploy/" + name + " is stale: run JobManifestsCommandTest with -Dgolden.update=true and commit it")
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
