package io.kdeploy.benchmarks;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kdeploy.core.artifacts.SampleBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The resident memory of the real node agent ({@code kdeploy install} with a cluster) while it idles after an install
 * (issue 10). Starts fabric8's mock API server in CRUD mode with a Ready node ({@code worker-1}) and the agent's own
 * DaemonSet, prepares a host root with a containerd 1.7 config, the sample Kata bundle and a fake {@code systemctl}, then
 * runs the shaded CLI jar as a child JVM until {@code /readyz} answers 200 and the node carries
 * {@code katacontainers.io/kata-runtime=true}. After an idle period it reads {@code VmRSS} and {@code VmHWM} from
 * {@code /proc/<pid>/status}, deletes the DaemonSet, sends SIGTERM and checks that the agent's full cleanup exits 0,
 * removes the label and restores the original config.
 *
 * <pre>
 * AgentIdleRss --jar cli/target/kdeploy-cli-*-all.jar --corpus src/corpus [--idle 10] [--work PARENT] [-- JVM options]
 * </pre>
 *
 * <p>The host root, bundle, kubeconfig and the agent's log go to a new directory under {@code --work} (default: the
 * system's temporary directory). Prints {@code agent idle RSS (<-Xmx>): N KiB (peak M KiB)} (N the median of five samples one second apart, M the
 * high-water mark) and one line of details, and exits 0; any failure (the agent never ready, exiting early or non-zero, the
 * cleanup leaving traces) prints the agent's log and exits 1.
 */
public final class AgentIdleRss {
    private static final String NODE = "worker-1";
    private static final String NAMESPACE = "kube-system";
    private static final String DAEMONSET = "kata-deploy";
    private static final String SHARED_LABEL = "katacontainers.io/kata-runtime";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(120);
    private static final int SAMPLES = 5;
    /** Held so that the level sticks: the mock server logs every request at INFO. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    /** Records the calls; every unit is active at once. */
    private static final String FAKE_SYSTEMCTL = String.join("\n",
            "#!/bin/sh",
            "echo \"$*\" >> \"$(dirname \"$0\")/calls\"",
            "case \"$1\" in",
            "  is-active) echo active ;;",
            "esac",
            "exit 0",
            "");

    private AgentIdleRss() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        Map<String, String> opts = new HashMap<>();
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                jvm.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("unexpected argument '" + args[i] + "'");
            }
            opts.put(args[i], args[++i]);
        }
        if (!opts.containsKey("--jar") || !opts.containsKey("--corpus")) {
            usage("--jar and --corpus are required");
        }
        if (jvm.isEmpty()) {
            jvm = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
        }
        Path work = opts.containsKey("--work")
                ? Files.createTempDirectory(Files.createDirectories(Path.of(opts.get("--work"))), "agent-rss")
                : Files.createTempDirectory("kdeploy-agent-rss");
        Duration idle = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("--idle", "10")));
        try {
            run(Path.of(opts.get("--jar")), Path.of(opts.get("--corpus")), work, idle, jvm);
        } catch (MeasurementFailed e) {
            System.err.println("AgentIdleRss: " + e.getMessage());
            Path log = work.resolve("agent.log");
            if (Files.exists(log)) {
                System.err.println("--- agent log (" + log + ") ---");
                System.err.println(Files.readString(log, StandardCharsets.UTF_8));
            }
            System.exit(1);
        }
        System.exit(0);
    }

    private static void usage(String why) {
        System.err.println("AgentIdleRss: " + why + ". Usage: AgentIdleRss --jar <kdeploy-cli-*-all.jar> --corpus <src/corpus>"
                + " [--idle SECONDS] [--work PARENT] [-- JVM options]");
        System.exit(2);
    }

    private static void run(Path jar, Path corpus, Path work, Duration idle, List<String> jvm) throws Exception {
        Path host = work.resolve("host");
        Path config = host.resolve("etc/containerd/config.toml");
        Files.createDirectories(config.getParent());
        Path input = corpus.resolve("containerd/containerd-1.7-suffix-nydus/input/etc/containerd/config.toml");
        Files.copy(input, config);
        Path kata = SampleBundle.writeTo(work.resolve("kata"));
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, FAKE_SYSTEMCTL, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));

        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            client.nodes().resource(node()).create();
            client.apps().daemonSets().resource(new DaemonSetBuilder()
                    .withNewMetadata().withNamespace(NAMESPACE).withName(DAEMONSET).endMetadata()
                    .withNewSpec().withNewSelector().addToMatchLabels("name", DAEMONSET).endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("name", DAEMONSET).endMetadata()
                            .withNewSpec().addToNodeSelector("kubernetes.io/os", "linux")
                                .addNewContainer().withName("kdeploy").withImage("kdeploy").endContainer()
                            .endSpec()
                        .endTemplate()
                    .endSpec()
                    .build()).create();
            Path kubeconfig = work.resolve("kubeconfig");
            Files.writeString(kubeconfig, kubeconfig("http://" + server.getHostName() + ":" + server.getPort()),
                    StandardCharsets.UTF_8);
            measure(client, jar, host, kata, bin, kubeconfig, work, idle, jvm, Files.readAllBytes(config));
        } finally {
            server.destroy();
        }
    }

    private static void measure(KubernetesClient client, Path jar, Path host, Path kata, Path bin, Path kubeconfig,
            Path work, Duration idle, List<String> jvm, byte[] originalConfig) throws Exception {
        int healthPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("-jar", jar.toString(), "install", "--host-root", host.toString(),
                "--runtime-version", "containerd://1.7.22", "--artifacts", kata.toString(),
                "--shims", String.join(" ", SampleBundle.SHIMS)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("agent.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.startsWith("KDEPLOY_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        env.put("NODE_NAME", NODE);
        env.put("DAEMONSET_NAME", DAEMONSET);
        env.put("POD_NAMESPACE", NAMESPACE);
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("HEALTH_PORT", Integer.toString(healthPort));
        env.put("HOST_EXEC_PREFIX", "");
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));

        long t0 = System.nanoTime();
        Process agent = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI readyz = URI.create("http://127.0.0.1:" + healthPort + "/readyz");
            await(agent, () -> status(http, readyz) == 200 && "true".equals(label(client)), READY_TIMEOUT,
                    "/readyz to answer 200 and the node to carry " + SHARED_LABEL + "=true");
            double readySeconds = (System.nanoTime() - t0) / 1e9;
            sleep(idle);
            if (!agent.isAlive()) {
                throw new MeasurementFailed("the agent exited with status " + agent.exitValue() + " while idle");
            }
            long[] rss = new long[SAMPLES];
            long hwm = 0;
            long threads = 0;
            for (int i = 0; i < SAMPLES; i++) {
                if (i > 0) {
                    sleep(Duration.ofSeconds(1));
                }
                Map<String, Long> status = procStatus(agent.pid());
                rss[i] = status.get("VmRSS");
                hwm = Math.max(hwm, status.get("VmHWM"));
                threads = status.get("Threads");
            }
            if (status(http, URI.create("http://127.0.0.1:" + healthPort + "/healthz")) != 200) {
                throw new MeasurementFailed("/healthz did not answer 200 while idle");
            }
            Arrays.sort(rss);

            client.apps().daemonSets().inNamespace(NAMESPACE).withName(DAEMONSET).delete();
            long s0 = System.nanoTime();
            agent.destroy(); // SIGTERM
            if (!agent.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new MeasurementFailed("the agent did not exit within " + EXIT_TIMEOUT.toSeconds() + " s of SIGTERM");
            }
            double stopSeconds = (System.nanoTime() - s0) / 1e9;
            if (agent.exitValue() != 0) {
                throw new MeasurementFailed("the agent exited with status " + agent.exitValue() + " after SIGTERM");
            }
            if (label(client) != null) {
                throw new MeasurementFailed("the full cleanup left the node label " + SHARED_LABEL + "=" + label(client));
            }
            if (!Arrays.equals(originalConfig, Files.readAllBytes(host.resolve("etc/containerd/config.toml")))) {
                throw new MeasurementFailed("the full cleanup did not restore the original containerd config");
            }
            long restarts = Files.readAllLines(bin.resolve("calls")).stream().filter("restart containerd"::equals).count();
            if (restarts != 2) {
                throw new MeasurementFailed("expected two runtime restarts (install, full cleanup), the fake systemctl saw "
                        + restarts);
            }
            String xmx = jvm.stream().filter(o -> o.startsWith("-Xmx")).reduce((a, b) -> b).orElse("default heap");
            System.out.println("agent idle RSS (" + xmx + "): " + rss[SAMPLES / 2] + " KiB (peak " + hwm + " KiB)");
            System.out.printf("agent: ready after %.1f s, RSS samples %d-%d KiB over %d s after %d s idle, %d threads,"
                    + " exit 0 %.1f s after SIGTERM (full cleanup); JVM options %s%n", readySeconds, rss[0],
                    rss[SAMPLES - 1], SAMPLES - 1, idle.toSeconds(), threads, stopSeconds, String.join(" ", jvm));
        } finally {
            if (agent.isAlive()) {
                agent.destroyForcibly();
            }
        }
    }

    private static Node node() {
        return new NodeBuilder()
                .withNewMetadata().withName(NODE)
                    .addToLabels("kubernetes.io/os", "linux").addToLabels("kubernetes.io/hostname", NODE)
                .endMetadata()
                .withNewStatus()
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewRuntimeHandler().withName("runc").endRuntimeHandler()
                    .addNewRuntimeHandler().withName("kata-qemu").endRuntimeHandler()
                    .addNewRuntimeHandler().withName("kata-qemu-runtime-rs").endRuntimeHandler()
                .endStatus()
                .build();
    }

    private static String kubeconfig(String server) {
        return String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: " + server,
                "contexts:",
                "- name: mock",
                "  context:",
                "    cluster: mock",
                "    user: mock",
                "    namespace: " + NAMESPACE,
                "current-context: mock",
                "users:",
                "- name: mock",
                "  user: {}",
                "");
    }

    private static @Nullable String label(KubernetesClient client) {
        Node node = client.nodes().withName(NODE).get();
        if (node == null || node.getMetadata().getLabels() == null) {
            return null;
        }
        return node.getMetadata().getLabels().get(SHARED_LABEL);
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeasurementFailed("interrupted");
        }
    }

    /** The {@code kB} and count fields of {@code /proc/<pid>/status} ({@code VmRSS}, {@code VmHWM}, {@code Threads}, …). */
    private static Map<String, Long> procStatus(long pid) {
        Map<String, Long> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                int colon = line.indexOf(':');
                String[] value = line.substring(colon + 1).strip().split("\\s+");
                if (colon > 0 && value.length >= 1 && value[0].matches("\\d+")) {
                    out.put(line.substring(0, colon), Long.parseLong(value[0]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : List.of("VmRSS", "VmHWM", "Threads")) {
            if (!out.containsKey(key)) {
                throw new MeasurementFailed("/proc/" + pid + "/status has no " + key + " (is this Linux?)");
            }
        }
        return out;
    }

    private static void await(Process agent, BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!agent.isAlive()) {
                throw new MeasurementFailed("the agent exited with status " + agent.exitValue() + " before " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new MeasurementFailed("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeasurementFailed("interrupted");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A failed measurement: the message says what went wrong. */
    private static final class MeasurementFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MeasurementFailed(String message) {
            super(message);
        }
    }
}
