package io.kdeploy.cli.manifests;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.PerShim;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds, from a {@link DeploySpec}, everything a user applies to run the kdeploy agent on every node: the ServiceAccount,
 * a least-privilege ClusterRole and its binding, the DaemonSet, and one RuntimeClass per handler. Pure; {@link #yaml}
 * serializes the objects once, as one multi-document YAML stream in that order.
 */
public final class Manifests {
    /** The shared label RuntimeClasses select; {@code "true"} once a node serves Kata. */
    public static final String KATA_RUNTIME_LABEL = "katacontainers.io/kata-runtime";

    /** Where the DaemonSet mounts the node's root file system ({@code --host-root}). */
    public static final String HOST_ROOT = "/host";

    /** Where the agent image keeps the Kata artifacts ({@code --artifacts}). */
    public static final String ARTIFACTS = "/opt/kata-artifacts";

    private static final String APP = "kdeploy";

    /** The DaemonSet's variables a staged action does not read (it has no API and no health server). */
    private static final Set<String> JOB_UNUSED_ENV = Set.of("DAEMONSET_NAME", "HEALTH_PORT");

    /** Architectures kata-deploy reads per-architecture variables for. */
    private static final List<String> ARCHES = List.of("X86_64", "AARCH64", "S390X", "PPC64LE");

    /**
     * The pod overhead (memory, CPU) of each shim's RuntimeClass, as Kata's own RuntimeClasses and Helm chart declare it;
     * a shim not listed gets {@link #DEFAULT_OVERHEAD}.
     */
    private static final Map<String, List<String>> OVERHEAD = overheads();

    private static final List<String> DEFAULT_OVERHEAD = List.of("160Mi", "250m");

    private Manifests() {}

    private static Map<String, List<String>> overheads() {
        Map<String, List<String>> m = new TreeMap<>();
        for (String s : List.of("clh", "clh-runtime-rs", "cloud-hypervisor", "dragonball", "fc", "stratovirt")) {
            m.put(s, List.of("130Mi", "250m"));
        }
        for (String s : List.of("qemu-snp", "qemu-snp-runtime-rs", "qemu-tdx", "qemu-tdx-runtime-rs", "qemu-se",
                "qemu-cca")) {
            m.put(s, List.of("2048Mi", "1"));
        }
        for (String s : List.of("qemu-nvidia-gpu", "qemu-nvidia-gpu-runtime-rs", "qemu-nvidia-gpu-snp",
                "qemu-nvidia-gpu-snp-runtime-rs", "qemu-nvidia-gpu-tdx", "qemu-nvidia-gpu-tdx-runtime-rs")) {
            m.put(s, List.of("10240Mi", "1"));
        }
        m.put("remote", List.of("120Mi", "250m"));
        return Map.copyOf(m);
    }

    /** {@code kata-deploy[-<suffix>]}: the DaemonSet's name, and so {@code DAEMONSET_NAME}. */
    public static String daemonSetName(DeploySpec spec) {
        return "kata-deploy" + spec.dashSuffix();
    }

    /** Every object, in apply order: ServiceAccount, ClusterRole, ClusterRoleBinding, DaemonSet, RuntimeClasses. */
    public static List<HasMetadata> objects(DeploySpec spec, ManifestOptions options) {
        requireNonNull(spec, "spec");
        requireNonNull(options, "options");
        List<HasMetadata> all = new ArrayList<>();
        all.add(serviceAccount(spec, options));
        all.add(clusterRole(spec));
        all.add(clusterRoleBinding(spec, options));
        all.add(daemonSet(spec, options));
        all.addAll(runtimeClasses(spec));
        return all;
    }

    /** The objects as one YAML stream, each document starting with {@code ---}. */
    public static String yaml(DeploySpec spec, ManifestOptions options) {
        return yaml(objects(spec, options));
    }

    /**
     * Job mode's install set, in apply order: one node-pinned Job per node (initContainers
     * {@code install-stage-host-check} and {@code install-stage-artifacts}, main container {@code install-stage-cri}), then
     * the RuntimeClasses. The Jobs have no API access ({@code automountServiceAccountToken: false}).
     */
    public static List<HasMetadata> installJobObjects(DeploySpec spec, ManifestOptions options, JobOptions jobs) {
        List<HasMetadata> all = new ArrayList<>();
        for (String node : jobs.nodes()) {
            all.add(job(spec, options, jobs, node, "install", List.of(stage("host-check", "install-stage-host-check"),
                    stage("artifacts", "install-stage-artifacts", "--artifacts", ARTIFACTS)),
                    stage("cri", "install-stage-cri")));
        }
        all.addAll(runtimeClasses(spec));
        return all;
    }

    /**
     * Job mode's cleanup set: one node-pinned Job per node, initContainer {@code cleanup-stage-revert-cri}, main container
     * {@code cleanup-stage-remove-artifacts}. Applied after the install set is deleted and the nodes' labels released.
     */
    public static List<HasMetadata> cleanupJobObjects(DeploySpec spec, ManifestOptions options, JobOptions jobs) {
        List<HasMetadata> all = new ArrayList<>();
        for (String node : jobs.nodes()) {
            all.add(job(spec, options, jobs, node, "cleanup", List.of(stage("revert-cri", "cleanup-stage-revert-cri")),
                    stage("remove-artifacts", "cleanup-stage-remove-artifacts")));
        }
        return all;
    }

    /** The objects as one YAML stream, each document starting with {@code ---}. */
    public static String yaml(List<HasMetadata> objects) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        StringBuilder out = new StringBuilder();
        for (HasMetadata object : objects) {
            String doc = serialization.asYaml(object);
            out.append(doc.startsWith("---") ? "" : "---\n").append(doc);
            if (!doc.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** {@code kata-deploy[-<sfx>]-<set>-<node>}, which must fit a Job name (63 characters). */
    static String jobName(DeploySpec spec, String set, String node) {
        String name = daemonSetName(spec) + "-" + set + "-" + node.replace('.', '-');
        if (name.length() > 63) {
            throw new InvalidSpecException("The Job name '" + name + "' for node " + node + " is longer than 63"
                    + " characters. Use a shorter --suffix, or run the staged actions for this node by hand.");
        }
        return name;
    }

    private static Container stage(String name, String action, String... more) {
        List<String> args = new ArrayList<>(List.of(action, "--host-root", HOST_ROOT));
        args.addAll(List.of(more));
        return new ContainerBuilder().withName(name).withArgs(args).build();
    }

    static Job job(DeploySpec spec, ManifestOptions options, JobOptions jobs, String node, String set,
            List<Container> init, Container main) {
        List<EnvVar> env = new ArrayList<>();
        for (EnvVar e : env(spec, options)) {
            if (e.getValue() != null && !JOB_UNUSED_ENV.contains(e.getName())) {
                env.add(e);
            }
        }
        if (!jobs.runtimeVersion().isBlank()) {
            env.add(plain("CONTAINER_RUNTIME_VERSION", jobs.runtimeVersion()));
        }
        String machineId = jobs.machineIds().get(node);
        if (machineId != null) {
            env.add(plain("NODE_MACHINE_ID", machineId));
        }
        Map<String, String> podLabels = new LinkedHashMap<>(labels(spec));
        podLabels.put("app.kubernetes.io/component", set);
        List<Container> inits = new ArrayList<>();
        for (Container c : init) {
            inits.add(jobContainer(c, options, env));
        }
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName(spec, set, node))
                    .withNamespace(options.namespace())
                    .withLabels(podLabels)
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(4)
                    .withNewTemplate()
                        .withNewMetadata().withLabels(podLabels).endMetadata()
                        .withNewSpec()
                            .withNodeName(node)
                            .withRestartPolicy("OnFailure")
                            .withAutomountServiceAccountToken(false)
                            .withHostPID(true)
                            .withPriorityClassName("system-node-critical")
                            .addNewToleration().withOperator("Exists").endToleration()
                            .withInitContainers(inits)
                            .withContainers(jobContainer(main, options, env))
                            .addToVolumes(hostRootVolume())
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The agent container settings every stage shares: image, environment, privileges, the host root. */
    private static Container jobContainer(Container stage, ManifestOptions options, List<EnvVar> env) {
        return new ContainerBuilder(stage)
                .withImage(options.image())
                .withImagePullPolicy("IfNotPresent")
                .withEnv(env)
                .withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .addToVolumeMounts(hostRootMount())
                .build();
    }

    private static Map<String, String> labels(DeploySpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", APP);
        labels.put("app.kubernetes.io/instance", spec.instance());
        labels.put("app.kubernetes.io/managed-by", APP);
        return labels;
    }

    static ServiceAccount serviceAccount(DeploySpec spec, ManifestOptions options) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                    .withName(daemonSetName(spec))
                    .withNamespace(options.namespace())
                    .withLabels(labels(spec))
                .endMetadata()
                .build();
    }

    /**
     * Exactly what the agent calls: nodes get/watch/patch (labels, taints, the Ready and handler waits), daemonsets
     * get/list (the cleanup decision), pods list (the in-use guard), runtimeclasses get/list (handler of a pod's class),
     * events create (decisions on the Node).
     */
    static ClusterRole clusterRole(DeploySpec spec) {
        return new ClusterRoleBuilder()
                .withNewMetadata().withName(daemonSetName(spec)).withLabels(labels(spec)).endMetadata()
                .withRules(
                        rule("", "nodes", "get", "watch", "patch"),
                        rule("apps", "daemonsets", "get", "list"),
                        rule("", "pods", "list"),
                        rule("node.k8s.io", "runtimeclasses", "get", "list"),
                        rule("", "events", "create"))
                .build();
    }

    private static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }

    static ClusterRoleBinding clusterRoleBinding(DeploySpec spec, ManifestOptions options) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(daemonSetName(spec)).withLabels(labels(spec)).endMetadata()
                .withNewRoleRef()
                    .withApiGroup("rbac.authorization.k8s.io")
                    .withKind("ClusterRole")
                    .withName(daemonSetName(spec))
                .endRoleRef()
                .addNewSubject()
                    .withKind("ServiceAccount")
                    .withName(daemonSetName(spec))
                    .withNamespace(options.namespace())
                .endSubject()
                .build();
    }

    static DaemonSet daemonSet(DeploySpec spec, ManifestOptions options) {
        String name = daemonSetName(spec);
        Map<String, String> podLabels = new LinkedHashMap<>();
        podLabels.put("name", name);
        podLabels.putAll(labels(spec));
        return new DaemonSetBuilder()
                .withNewMetadata().withName(name).withNamespace(options.namespace()).withLabels(labels(spec)).endMetadata()
                .withNewSpec()
                    .withNewSelector().addToMatchLabels("name", name).endSelector()
                    .withNewUpdateStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate().withMaxUnavailable(new IntOrString(1)).endRollingUpdate()
                    .endUpdateStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(podLabels).endMetadata()
                        .withNewSpec()
                            .withServiceAccountName(name)
                            .withHostPID(true)
                            .withPriorityClassName("system-node-critical")
                            .withTerminationGracePeriodSeconds(options.gracePeriod().toSeconds())
                            .addToNodeSelector("kubernetes.io/os", "linux")
                            .addNewContainer()
                                .withName(APP)
                                .withImage(options.image())
                                .withImagePullPolicy("IfNotPresent")
                                .withArgs("install", "--host-root", HOST_ROOT, "--artifacts", ARTIFACTS)
                                .withEnv(env(spec, options))
                                .addNewPort()
                                    .withName("health")
                                    .withContainerPort(options.healthPort())
                                    .withProtocol("TCP")
                                .endPort()
                                .withStartupProbe(probe("/readyz", 10, 60))
                                .withReadinessProbe(probe("/readyz", 10, 3))
                                .withLivenessProbe(probe("/healthz", 30, 3))
                                .withNewResources()
                                    .addToRequests("cpu", new Quantity("25m"))
                                    .addToRequests("memory", new Quantity("128Mi"))
                                .endResources()
                                .withNewSecurityContext().withPrivileged(true).endSecurityContext()
                                .addToVolumeMounts(hostRootMount())
                            .endContainer()
                            .addToVolumes(hostRootVolume())
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The node's root file system, which every kdeploy container works on. */
    private static Volume hostRootVolume() {
        return new VolumeBuilder()
                .withName("host-root")
                .withNewHostPath().withPath("/").withType("Directory").endHostPath()
                .build();
    }

    /** Where a kdeploy container sees the node's root ({@code --host-root}). */
    private static VolumeMount hostRootMount() {
        return new VolumeMountBuilder()
                .withName("host-root")
                .withMountPath(HOST_ROOT)
                .withMountPropagation("HostToContainer")
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("health")).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(5)
                .build();
    }

    /** The spec as kata-deploy's environment variables, plus what the pod knows about itself. */
    static List<EnvVar> env(DeploySpec spec, ManifestOptions options) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("NODE_NAME")
                .withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().build());
        env.add(new EnvVarBuilder().withName("POD_NAMESPACE")
                .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom()
                .build());
        env.add(plain("DAEMONSET_NAME", daemonSetName(spec)));
        env.add(plain("HEALTH_PORT", Integer.toString(options.healthPort())));
        env.add(plain("SHIMS", String.join(" ", spec.shims())));
        env.add(plain("DEFAULT_SHIM", spec.defaultShim()));
        if (!spec.suffix().isEmpty()) {
            env.add(plain("MULTI_INSTALL_SUFFIX", spec.suffix()));
        }
        if (!spec.installationPrefix().isEmpty()) {
            env.add(plain("INSTALLATION_PREFIX", spec.installationPrefix()));
        }
        if (spec.debug()) {
            env.add(plain("DEBUG", "true"));
        }
        perArch(env, "SNAPSHOTTER_HANDLER_MAPPING", pairs(spec.snapshotterMapping()));
        perArch(env, "PULL_TYPE_MAPPING", pairs(spec.pullTypeMapping()));
        perArch(env, "EXPERIMENTAL_FORCE_GUEST_PULL", String.join(",", new TreeSet<>(spec.forceGuestPull())));
        perArch(env, "ALLOWED_HYPERVISOR_ANNOTATIONS", annotations(spec.hypervisorAnnotations()));
        proxy(env, "AGENT_HTTPS_PROXY", spec.agentHttpsProxy());
        proxy(env, "AGENT_NO_PROXY", spec.agentNoProxy());
        extras(env, spec.extras());
        return env;
    }

    /**
     * The kata-deploy settings beyond the core spec, each only when it differs from the default, so the pod's spec loader
     * reads back what the manifests were rendered from. A user containerd drop-in and custom runtimes need their files
     * mounted into the pod (a ConfigMap the operator provides); they are not rendered.
     */
    private static void extras(List<EnvVar> env, KataExtras extras) {
        KataExtras none = KataExtras.NONE;
        if (extras.devkit()) {
            env.add(plain("DEVKIT", "true"));
        }
        if (!extras.containerdConfigFileName().equals(none.containerdConfigFileName())) {
            env.add(plain("CONTAINERD_CONFIG_FILE_NAME", extras.containerdConfigFileName()));
        }
        if (!extras.k8sDistribution().isEmpty()) {
            env.add(plain("K8S_DISTRIBUTION", extras.k8sDistribution()));
        }
        if (!extras.setupSnapshotters().isEmpty()) {
            env.add(plain("EXPERIMENTAL_SETUP_SNAPSHOTTER", String.join(",", new TreeSet<>(extras.setupSnapshotters()))));
        }
        if (extras.setsUp("erofs")) {
            env.add(plain("EROFS_MERGE_MODE", extras.erofs().merged() ? "merged" : "unmerged"));
            env.add(plain("EROFS_SNAPSHOTTER_MODE", extras.erofs().memory() ? "memory" : "disk"));
            if (extras.erofs().dmverity()) {
                env.add(plain("EROFS_DMVERITY", "dmverity"));
            }
        }
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static String pairs(Map<String, String> map) {
        return new TreeMap<>(map).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** {@code ann1 ann2 shim:ann3,ann4}: global entries first, then per shim. */
    private static String annotations(PerShim p) {
        List<String> entries = new ArrayList<>();
        for (String a : p.all().split(",")) {
            if (!a.isBlank()) {
                entries.add(a.strip());
            }
        }
        p.perShim().forEach((shim, list) -> entries.add(shim + ":" + list));
        return String.join(" ", entries);
    }

    private static void perArch(List<EnvVar> env, String base, String value) {
        if (!value.isEmpty()) {
            for (String arch : ARCHES) {
                env.add(plain(base + "_" + arch, value));
            }
        }
    }

    /** {@code value} for every shim, or {@code shim1=v1;shim2=v2}. */
    private static void proxy(List<EnvVar> env, String name, PerShim p) {
        if (p.isEmpty()) {
            return;
        }
        if (p.perShim().isEmpty()) {
            env.add(plain(name, p.all()));
        } else {
            env.add(plain(name, p.perShim().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(";"))));
        }
    }

    /**
     * One RuntimeClass per shim and per debug/devkit variant (as kata-deploy's chart renders them), named after its
     * handler, with the shim's pod overhead, scheduled only onto nodes where Kata is served ({@value #KATA_RUNTIME_LABEL})
     * and this install is done (its node mark). Custom runtimes bring their own RuntimeClass YAML, as in kata-deploy.
     */
    static List<RuntimeClass> runtimeClasses(DeploySpec spec) {
        List<String[]> handlers = new ArrayList<>();
        for (String shim : spec.shims()) {
            handlers.add(new String[] {spec.handler(shim), shim});
        }
        for (String variant : spec.variants()) {
            for (String shim : spec.shims()) {
                handlers.add(new String[] {spec.variantHandler(shim, variant), shim});
            }
        }
        List<RuntimeClass> classes = new ArrayList<>();
        for (String[] h : handlers) {
            List<String> overhead = OVERHEAD.getOrDefault(h[1], DEFAULT_OVERHEAD);
            Map<String, String> selector = new LinkedHashMap<>();
            selector.put(KATA_RUNTIME_LABEL, "true");
            selector.put(spec.nodeMarkLabel(), "true");
            classes.add(new RuntimeClassBuilder()
                    .withNewMetadata().withName(h[0]).withLabels(labels(spec)).endMetadata()
                    .withHandler(h[0])
                    .withNewOverhead()
                        .addToPodFixed("memory", new Quantity(overhead.get(0)))
                        .addToPodFixed("cpu", new Quantity(overhead.get(1)))
                    .endOverhead()
                    .withNewScheduling().withNodeSelector(selector).endScheduling()
                    .build());
        }
        return classes;
    }
}
