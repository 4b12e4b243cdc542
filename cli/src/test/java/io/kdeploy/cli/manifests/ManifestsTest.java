package io.kdeploy.cli.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kdeploy.cli.kube.ClusterViews;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.cleanup.Self;
import io.kdeploy.core.spec.Arch;
import io.kdeploy.core.spec.SpecFile;
import io.kdeploy.core.spec.SpecLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    private static final DeploySpec SPEC = DeploySpec.of("qemu", "clh", "qemu-snp").withSuffix("b");

    private static <T> T only(List<HasMetadata> all, Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    void theDaemonSetIsNamedForTheSuffixAndTellsTheAgentItsName() {
        DaemonSet ds = Manifests.daemonSet(SPEC, ManifestOptions.defaults());

        assertThat(ds.getMetadata().getName()).isEqualTo("kata-deploy-b");
        assertThat(ds.getSpec().getSelector().getMatchLabels()).containsEntry("name", "kata-deploy-b");
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("DAEMONSET_NAME").getValue()).isEqualTo("kata-deploy-b");
        assertThat(env.get("MULTI_INSTALL_SUFFIX").getValue()).isEqualTo("b");
        assertThat(env.get("NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        assertThat(env.get("SHIMS").getValue()).isEqualTo("qemu clh qemu-snp");
        assertThat(env.get("HEALTH_PORT").getValue()).isEqualTo("8090");
        assertThat(pod.getHostPID()).isTrue();
        assertThat(c.getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(600L);
        assertThat(pod.getServiceAccountName()).isEqualTo("kata-deploy-b");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getArgs()).containsExactly("install", "--host-root", "/host", "--artifacts", "/opt/kata-artifacts");
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/"));
    }

    @Test
    void theDaemonSetSelectsEveryLinuxNodeAsThePolicySeesIt() {
        DaemonSet ds = Manifests.daemonSet(SPEC, ManifestOptions.defaults());
        ds.getMetadata().setNamespace("kube-system");

        var info = ClusterViews.daemonSet(ds);

        assertThat(info.name()).isEqualTo(new Self("kube-system", "kata-deploy-b", "b").daemonSetName());
        assertThat(info.placement().nodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    }

    @Test
    void theClusterRoleGrantsExactlyWhatTheAgentCalls() {
        ClusterRole role = Manifests.clusterRole(SPEC);

        assertThat(role.getRules()).extracting(r -> r.getApiGroups() + " " + r.getResources() + " " + r.getVerbs())
                .containsExactly(
                        "[] [nodes] [get, watch, patch]",
                        "[apps] [daemonsets] [get, list]",
                        "[] [pods] [list]",
                        "[node.k8s.io] [runtimeclasses] [get, list]",
                        "[] [events] [create]");
        ClusterRoleBinding binding = Manifests.clusterRoleBinding(SPEC, ManifestOptions.defaults());
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("kata-deploy-b");
            assertThat(s.getNamespace()).isEqualTo("kube-system");
        });
    }

    @Test
    void debugAndDevkitVariantsGetRuntimeClassesToo() {
        DeploySpec spec = DeploySpec.of("qemu").withDebug(true)
                .withExtras(io.kdeploy.core.KataExtras.NONE.withDevkit(true));
        assertThat(Manifests.runtimeClasses(spec)).extracting(RuntimeClass::getHandler)
                .containsExactly("kata-qemu", "kata-qemu-debug", "kata-qemu-devkit");
        assertThat(Manifests.runtimeClasses(spec.withDebug(false))).extracting(RuntimeClass::getHandler)
                .containsExactly("kata-qemu");
    }

    @Test
    void oneRuntimeClassPerHandlerScheduledOnlyWhereThisInstallServes() {
        List<RuntimeClass> classes = Manifests.runtimeClasses(SPEC);

        assertThat(classes).extracting(RuntimeClass::getHandler).containsExactly("kata-qemu-b", "kata-clh-b", "kata-qemu-snp-b");
        assertThat(classes).allSatisfy(rc -> {
            assertThat(rc.getMetadata().getName()).isEqualTo(rc.getHandler());
            assertThat(rc.getScheduling().getNodeSelector()).containsExactly(
                    Map.entry("katacontainers.io/kata-runtime", "true"),
                    Map.entry("kata-deploy.katacontainers.io/b", "true"));
        });
        assertThat(classes.get(0).getOverhead().getPodFixed().get("memory").toString()).isEqualTo("160Mi");
        assertThat(classes.get(1).getOverhead().getPodFixed().get("memory").toString()).isEqualTo("130Mi");
        assertThat(classes.get(2).getOverhead().getPodFixed().get("cpu").toString()).isEqualTo("1");
    }

    @Test
    void theYamlParsesBackToTheSameObjectsInApplyOrder() {
        String yaml = Manifests.yaml(SPEC, ManifestOptions.defaults());

        List<HasMetadata> parsed = new KubernetesSerialization().unmarshal(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(parsed).extracting(HasMetadata::getKind).containsExactly("ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "DaemonSet", "RuntimeClass", "RuntimeClass", "RuntimeClass");
        assertThat(parsed).isEqualTo(Manifests.objects(SPEC, ManifestOptions.defaults()));
        assertThat(only(parsed, DaemonSet.class).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(ManifestOptions.DEFAULT_IMAGE);
    }

    @Test
    void badOptionsAreRejectedWithTheFix() {
        assertThatThrownBy(() -> ManifestOptions.defaults().withNamespace("Kube_System"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("kube-system");
        assertThatThrownBy(() -> ManifestOptions.defaults().withImage("my image"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("image reference");
        assertThatThrownBy(() -> new ManifestOptions("kube-system", "i", 8090, Duration.ofSeconds(30)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("at least 60 s");
        assertThatThrownBy(() -> new ManifestOptions("kube-system", "i", 0, Duration.ofSeconds(600)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("HEALTH_PORT 0");
    }

    @Test
    void theDaemonSetEnvironmentCarriesTheKataDeploySettingsBeyondTheCoreSpec() {
        DeploySpec spec = DeploySpec.of("qemu-runtime-rs", "clh").withDebug(true).withExtras(KataExtras.NONE.withDevkit(true)
                .withSnapshotters(Set.of("erofs", "nydus"), new KataExtras.Erofs(false, true, true)));
        Map<String, String> env = Manifests.env(spec, ManifestOptions.defaults()).stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

        assertThat(env).containsEntry("DEVKIT", "true").containsEntry("EXPERIMENTAL_SETUP_SNAPSHOTTER", "erofs,nydus")
                .containsEntry("EROFS_MERGE_MODE", "unmerged").containsEntry("EROFS_SNAPSHOTTER_MODE", "memory")
                .containsEntry("EROFS_DMVERITY", "dmverity");
        DeploySpec readBack = SpecLoader.forArch(Arch.X86_64).load(Map.of(), env, SpecFile.NONE).spec();
        assertThat(readBack.extras().devkit()).isTrue();
        assertThat(readBack.extras().setupSnapshotters()).isEqualTo(spec.extras().setupSnapshotters());
        assertThat(readBack.extras().erofs()).isEqualTo(spec.extras().erofs());
        assertThat(Manifests.env(DeploySpec.of("qemu"), ManifestOptions.defaults()).stream().map(EnvVar::getName))
                .as("defaults add nothing").doesNotContain("DEVKIT", "EXPERIMENTAL_SETUP_SNAPSHOTTER", "EROFS_MERGE_MODE",
                        "CONTAINERD_CONFIG_FILE_NAME", "K8S_DISTRIBUTION");
    }
}
