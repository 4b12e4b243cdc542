package io.kdeploy.cli.kube;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeRuntimeHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kdeploy.core.cleanup.ClusterView;
import io.kdeploy.core.cleanup.Taint;
import io.kdeploy.core.cluster.ClusterPort;
import io.kdeploy.core.cluster.PodRef;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ClusterPort} over fabric8's kubernetes-client. Needs exactly the verbs of the generated ClusterRole: nodes
 * get/watch/patch, daemonsets list, pods list, runtimeclasses list, events create.
 *
 * <p>Writes are JSON merge patches that carry the {@code resourceVersion} read just before, so the API server refuses them
 * with 409 when the Node changed in between; they are then re-read and retried. Waits read the Node once and then watch it
 * from that {@code resourceVersion}; a watch the server ends (e.g. 410 Gone) is re-established from a fresh read.
 */
public final class FabricCluster implements ClusterPort {
    private static final System.Logger LOG = System.getLogger(FabricCluster.class.getName());

    /** How many attempts a Node write gets (against 409 Conflict and a briefly unavailable API server). */
    static final int WRITE_ATTEMPTS = 5;

    /** Where Node Events are created (the namespace kubelet uses for Node events). */
    static final String EVENT_NAMESPACE = "default";

    /** The Event source component. */
    static final String COMPONENT = "kdeploy";

    /** The pause before trying again after the API server failed to answer. */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private static final String LABELS = "/metadata/labels/";

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;

    /**
     * A port acting on {@code nodeName} through {@code client}. The client's request timeout bounds every read; the
     * caller owns and closes the client.
     */
    public FabricCluster(KubernetesClient client, String nodeName) {
        this(client, nodeName, Clock.systemUTC());
    }

    FabricCluster(KubernetesClient client, String nodeName, Clock clock) {
        this.client = requireNonNull(client, "client");
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.clock = requireNonNull(clock, "clock");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName is blank; set NODE_NAME from the pod's spec.nodeName");
        }
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public ClusterView view() {
        List<DaemonSet> daemonSets;
        try {
            daemonSets = client.apps().daemonSets().inAnyNamespace().list().getItems();
        } catch (RuntimeException e) {
            return unknown("GET /apis/apps/v1/daemonsets", e);
        }
        Node node;
        try {
            node = client.nodes().withName(nodeName).get();
        } catch (RuntimeException e) {
            return unknown("GET /api/v1/nodes/" + nodeName, e);
        }
        if (node == null) {
            return ClusterView.unknown("GET /api/v1/nodes/" + nodeName + ": 404 Not Found (is NODE_NAME right?)");
        }
        try {
            return ClusterViews.known(daemonSets, node);
        } catch (IllegalArgumentException e) {
            return ClusterView.unknown("the API returned an incomplete object: " + e.getMessage());
        }
    }

    private static ClusterView unknown(String request, RuntimeException e) {
        LOG.log(Level.WARNING, () -> "Cannot read the cluster: " + request + ": " + describe(e));
        return ClusterView.unknown(request + ": " + describe(e));
    }

    @Override
    public Map<String, String> updateLabels(Map<String, String> set, Set<String> remove) {
        Map<String, String> toSet = Map.copyOf(set);
        Set<String> toRemove = Set.copyOf(remove);
        for (String key : toRemove) {
            if (toSet.containsKey(key)) {
                throw new IllegalArgumentException("Label '" + key + "' is both set and removed; pass it only once.");
            }
        }
        Node after = guardedWrite("label", node -> {
            Map<String, String> labels = labels(node);
            ArrayNode ops = JsonNodeFactory.instance.arrayNode();
            new TreeMap<>(toSet).forEach((k, v) -> {
                if (!v.equals(labels.get(k))) {
                    ops.addObject().put("op", "add").put("path", LABELS + escape(k)).put("value", v);
                }
            });
            for (String key : new TreeSet<>(toRemove)) {
                if (labels.containsKey(key)) {
                    ops.addObject().put("op", "remove").put("path", LABELS + escape(key));
                }
            }
            if (ops.isEmpty()) {
                return null;
            }
            if (node.getMetadata().getLabels() == null) {
                ops.insertObject(0).put("op", "add").put("path", "/metadata/labels").putObject("value");
            }
            return ops;
        });
        return new TreeMap<>(labels(after));
    }

    @Override
    public Map<String, String> settleLabels(Map<String, String> set, Set<String> remove, Duration settle,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Predicate<Node> asWanted = n -> {
            Map<String, String> labels = labels(n);
            return labels.entrySet().containsAll(set.entrySet()) && remove.stream().noneMatch(labels::containsKey);
        };
        int applied = 0;
        while (true) {
            updateLabels(set, remove);
            applied++;
            long left = deadline - System.nanoTime();
            Duration window = Duration.ofNanos(Math.max(0, Math.min(settle.toNanos(), left)));
            Node seen = awaitNode(asWanted.negate(), window, "keep its labels");
            if (asWanted.test(seen) && window.equals(settle)) {
                return new TreeMap<>(labels(seen));
            }
            if (System.nanoTime() >= deadline) {
                throw new ClusterException("The labels " + set + " on node " + nodeName + " did not hold for "
                        + settle.toSeconds() + " s within " + timeout.toSeconds() + " s (applied " + applied
                        + " times; now " + new TreeMap<>(labels(seen)) + "). Something keeps rewriting the node's"
                        + " labels, e.g. the kubelet's --node-labels or a node-management controller.");
            }
            LOG.log(Level.INFO, () -> "The labels of node " + nodeName + " were rewritten by someone else; applying"
                    + " them again");
        }
    }

    @Override
    public List<Taint> removeTaints(Collection<String> specs) {
        List<String[]> wanted = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.strip();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.indexOf(':');
            wanted.add(colon < 0 ? new String[] {s, ""} : new String[] {s.substring(0, colon), s.substring(colon + 1)});
        }
        List<Taint> removed = new ArrayList<>();
        if (wanted.isEmpty()) {
            return removed;
        }
        guardedWrite("remove taints from", node -> {
            removed.clear();
            List<io.fabric8.kubernetes.api.model.Taint> keep = new ArrayList<>();
            List<io.fabric8.kubernetes.api.model.Taint> current =
                    node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
            for (io.fabric8.kubernetes.api.model.Taint t : current) {
                if (matchesAny(t, wanted)) {
                    removed.add(new Taint(orEmpty(t.getKey()), orEmpty(t.getValue()), orEmpty(t.getEffect())));
                } else {
                    keep.add(t);
                }
            }
            if (removed.isEmpty()) {
                return null;
            }
            ArrayNode ops = JsonNodeFactory.instance.arrayNode();
            ArrayNode taints = ops.addObject().put("op", "replace").put("path", "/spec/taints").putArray("value");
            for (io.fabric8.kubernetes.api.model.Taint t : keep) {
                taints.add(client.getKubernetesSerialization().convertValue(t, ObjectNode.class));
            }
            return ops;
        });
        return List.copyOf(removed);
    }

    private static boolean matchesAny(io.fabric8.kubernetes.api.model.Taint t, List<String[]> wanted) {
        for (String[] w : wanted) {
            if (w[0].equals(t.getKey()) && (w[1].isEmpty() || w[1].equals(t.getEffect()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the Node, asks {@code change} for JSON Patch operations (null: nothing to do), prefixes them with setting
     * {@code metadata.resourceVersion} to the version read, and sends them. The API server turns a patched
     * {@code resourceVersion} into a precondition, so a Node changed in between is refused with 409 Conflict; it is then
     * read again and the change recomputed.
     */
    private Node guardedWrite(String what, Function<Node, @Nullable ArrayNode> change) {
        KubernetesClientException last = null;
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            try {
                Node node = client.nodes().withName(nodeName).get();
                if (node == null) {
                    throw new ClusterException("Node " + nodeName + " does not exist. NODE_NAME must be the pod's"
                            + " spec.nodeName.");
                }
                ArrayNode ops = change.apply(node);
                if (ops == null) {
                    return node;
                }
                ops.insertObject(0).put("op", "replace").put("path", "/metadata/resourceVersion")
                        .put("value", node.getMetadata().getResourceVersion());
                return client.nodes().withName(nodeName).patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
            } catch (KubernetesClientException e) {
                boolean transientFailure = e.getCode() <= 0 || e.getCode() >= 500;
                if (e.getCode() != 409 && !transientFailure) {
                    throw new ClusterException("Cannot " + what + " node " + nodeName + ": " + describe(e)
                            + ". Check that the ServiceAccount may get and patch nodes (see the generated ClusterRole).",
                            e);
                }
                last = e;
                int n = attempt;
                LOG.log(Level.DEBUG, () -> "Attempt " + n + " to " + what + " node " + nodeName + " failed ("
                        + describe(e) + "); trying again");
                if (transientFailure && attempt < WRITE_ATTEMPTS) {
                    pause(what);
                }
            }
        }
        KubernetesClientException cause = requireNonNull(last, "last");
        if (cause.getCode() == 409) {
            throw new ClusterException("Cannot " + what + " node " + nodeName + ": it changed on every one of "
                    + WRITE_ATTEMPTS + " attempts (409 Conflict). Something else rewrites the node constantly; retry"
                    + " later.", cause);
        }
        throw new ClusterException("Cannot " + what + " node " + nodeName + " in " + WRITE_ATTEMPTS + " attempts: "
                + describe(cause) + ". Check that the API server is reachable from the node.", cause);
    }

    /** A label key as a JSON Pointer segment (RFC 6901: {@code ~} as {@code ~0}, {@code /} as {@code ~1}). */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    @Override
    public boolean postEvent(EventType type, String reason, String message) {
        Instant now = clock.instant();
        String stamp = now.toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withNamespace(EVENT_NAMESPACE)
                    .withName(nodeName + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano()))
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(nodeName)
                    .withUid(nodeName) // as kubelet and kubectl describe node do: a Node's events carry uid = name
                .endInvolvedObject()
                .withType(type.apiValue())
                .withReason(reason)
                .withMessage(message)
                .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(nodeName)
                .withFirstTimestamp(stamp)
                .withLastTimestamp(stamp)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(EVENT_NAMESPACE).resource(event).create();
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "Cannot post the Event '" + reason + "' on node " + nodeName + " (" + describe(e)
                    + "); its message was: " + message);
            return false;
        }
    }

    @Override
    public List<PodRef> podsUsingHandlers(Collection<String> handlers) {
        Set<String> ours = Set.copyOf(handlers);
        Map<String, String> classToHandler = new HashMap<>();
        List<Pod> pods;
        try {
            for (RuntimeClass rc : client.resources(RuntimeClass.class).list().getItems()) {
                classToHandler.put(rc.getMetadata().getName(), rc.getHandler());
            }
            pods = client.pods().inAnyNamespace()
                    .withField("spec.nodeName", nodeName)
                    .list().getItems();
        } catch (KubernetesClientException e) {
            throw new ClusterException("Cannot list the pods on node " + nodeName + " and their RuntimeClasses: "
                    + describe(e) + ". Kata files stay in place until this succeeds.", e);
        }
        List<PodRef> using = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getSpec() == null || !nodeName.equals(pod.getSpec().getNodeName())) {
                continue;
            }
            String rcName = pod.getSpec().getRuntimeClassName();
            String phase = pod.getStatus() == null ? "" : orEmpty(pod.getStatus().getPhase());
            if (rcName == null || phase.equals("Succeeded") || phase.equals("Failed")) {
                continue;
            }
            String handler = classToHandler.getOrDefault(rcName, rcName);
            if (ours.contains(handler)) {
                using.add(new PodRef(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), rcName, handler));
            }
        }
        return List.copyOf(using);
    }

    @Override
    public void awaitReady(Duration timeout) {
        Node last = awaitNode(FabricCluster::isReady, timeout, "become Ready");
        if (!isReady(last)) {
            throw new ClusterException("Node " + nodeName + " did not become Ready within " + timeout.toSeconds()
                    + " s (last Ready condition: " + readyCondition(last) + "). The node labels stay 'false'. Check the"
                    + " kubelet and the container runtime on the node (journalctl -u kubelet, -u containerd).");
        }
    }

    @Override
    public HandlerStatus awaitHandlers(Collection<String> handlers, Duration timeout) {
        Set<String> wanted = new TreeSet<>(handlers);
        Node first = awaitNode(n -> true, timeout, "report its runtime handlers");
        if (runtimeHandlers(first).isEmpty()) {
            LOG.log(Level.INFO, () -> "Node " + nodeName + " does not report status.runtimeHandlers (kubelet older than"
                    + " 1.30 or a CRI that does not list them); cannot confirm the handlers " + wanted);
            return HandlerStatus.NOT_REPORTED;
        }
        Node last = awaitNode(n -> runtimeHandlers(n).containsAll(wanted), timeout, "report the runtime handlers");
        Set<String> served = runtimeHandlers(last);
        if (!served.containsAll(wanted)) {
            Set<String> missing = new TreeSet<>(wanted);
            missing.removeAll(served);
            throw new ClusterException("Node " + nodeName + " does not report the runtime handlers " + missing
                    + " within " + timeout.toSeconds() + " s; it reports " + served + ". The container runtime did not"
                    + " load the new configuration: check its log on the node. The node labels stay 'false'.");
        }
        return HandlerStatus.SERVED;
    }

    /**
     * Reads the Node and watches it until {@code done} holds or {@code timeout} passes; returns the last Node seen. A
     * watch the server closes (410 Gone included) is re-established from a fresh read. A failing read or watch (the API
     * server may restart with the container runtime, as on k3s and rke2) is retried after {@link #RETRY_PAUSE} until the
     * deadline; 401 and 403 are not retried.
     */
    private Node awaitNode(Predicate<Node> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Node lastSeen = null;
        KubernetesClientException lastError = null;
        while (true) {
            Watch watch = null;
            try {
                Node current = client.nodes().withName(nodeName).get();
                if (current == null) {
                    throw new ClusterException("Node " + nodeName + " disappeared while waiting for it to " + what + ".");
                }
                lastSeen = current;
                if (done.test(current) || System.nanoTime() >= deadline) {
                    return current;
                }
                AtomicReference<Node> last = new AtomicReference<>(current);
                CompletableFuture<Boolean> result = new CompletableFuture<>();
                watch = client.nodes().withName(nodeName).watch(
                        new ListOptionsBuilder().withResourceVersion(current.getMetadata().getResourceVersion()).build(),
                        new Watcher<>() {
                            @Override
                            public void eventReceived(Action action, Node node) {
                                if (action == Action.ADDED || action == Action.MODIFIED) {
                                    last.set(node);
                                    if (done.test(node)) {
                                        result.complete(true);
                                    }
                                }
                            }

                            @Override
                            public void onClose(WatcherException cause) {
                                result.complete(false);
                            }

                            @Override
                            public void onClose() {
                                result.complete(false);
                            }
                        });
                boolean satisfied = result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                lastSeen = last.get();
                if (satisfied) {
                    return lastSeen;
                }
                LOG.log(Level.DEBUG, () -> "The watch on node " + nodeName + " ended; reading it again");
            } catch (TimeoutException e) {
                return requireNonNull(lastSeen, "lastSeen");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("Stopped waiting for node " + nodeName + " to " + what + ": interrupted.", e);
            } catch (ExecutionException e) {
                throw new ClusterException("Cannot watch node " + nodeName + ": " + e.getCause(), e);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 401 || e.getCode() == 403) {
                    throw new ClusterException("Cannot wait for node " + nodeName + " to " + what + ": " + describe(e)
                            + ". Check that the ServiceAccount may get and watch nodes.", e);
                }
                if (e.getCode() != 410) {
                    lastError = e;
                    KubernetesClientException logged = e;
                    LOG.log(Level.INFO, () -> "Reading node " + nodeName + " failed (" + describe(logged)
                            + "); retrying");
                    if (System.nanoTime() + RETRY_PAUSE.toNanos() >= deadline) {
                        if (lastSeen != null) {
                            return lastSeen;
                        }
                        throw new ClusterException("Cannot read node " + nodeName + " to wait for it to " + what
                                + " within " + timeout.toSeconds() + " s: " + describe(e) + ".", e);
                    }
                    pause(what);
                }
            } finally {
                if (watch != null) {
                    watch.close();
                }
            }
            if (lastError != null && System.nanoTime() >= deadline && lastSeen == null) {
                throw new ClusterException("Cannot read node " + nodeName + " to wait for it to " + what + ": "
                        + describe(lastError) + ".", lastError);
            }
        }
    }

    private void pause(String what) {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("Stopped waiting for node " + nodeName + " to " + what + ": interrupted.", e);
        }
    }

    static boolean isReady(@Nullable Node node) {
        NodeCondition c = readyConditionOf(node);
        return c != null && "True".equals(c.getStatus());
    }

    private static String readyCondition(Node node) {
        NodeCondition c = readyConditionOf(node);
        if (c == null) {
            return "none reported";
        }
        return "status=" + c.getStatus() + ", reason=" + orEmpty(c.getReason()) + ", message=" + orEmpty(c.getMessage());
    }

    private static @Nullable NodeCondition readyConditionOf(@Nullable Node node) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    static Set<String> runtimeHandlers(Node node) {
        Set<String> names = new LinkedHashSet<>();
        if (node.getStatus() != null && node.getStatus().getRuntimeHandlers() != null) {
            for (NodeRuntimeHandler h : node.getStatus().getRuntimeHandlers()) {
                if (h.getName() != null && !h.getName().isEmpty()) {
                    names.add(h.getName());
                }
            }
        }
        return names;
    }

    private static Map<String, String> labels(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels == null ? Map.of() : new LinkedHashMap<>(labels);
    }

    /** {@code 403 Forbidden: nodes "n1" is forbidden: …}, or the exception's own description when it carries no code. */
    static String describe(Throwable e) {
        if (e instanceof KubernetesClientException) {
            KubernetesClientException k = (KubernetesClientException) e;
            if (k.getCode() > 0) {
                String status = k.getStatus() == null ? "" : orEmpty(k.getStatus().getReason());
                String message = k.getStatus() == null ? "" : orEmpty(k.getStatus().getMessage());
                return (k.getCode() + " " + status).strip() + (message.isEmpty() ? "" : ": " + message);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = root == e ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        return (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + rootMessage;
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }
}
