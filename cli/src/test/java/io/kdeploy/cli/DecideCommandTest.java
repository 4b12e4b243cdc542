package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code kdeploy decide} on the realistic kubectl output in {@code src/corpus/cluster}. */
class DecideCommandTest {

    private static final Path CLUSTER = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"), "cluster");

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static Result kdeploy(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String corpus(String name) {
        return CLUSTER.resolve(name).toString();
    }

    private static Result decide(String daemonSets, String node, String... more) {
        List<String> args = new ArrayList<>(List.of("decide", "--daemonsets", daemonSets, "--node", node));
        args.addAll(List.of(more));
        return kdeploy(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} + {1} as {2}/{3} [{4}] {5} -> {6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "single            | worker-1          | kube-system  | kata-deploy         | -       | node-aware  | SKIP          | still selects node worker-1",
        "single            | worker-1          | kube-system  | kata-deploy         | -       | three-stage | SKIP          | pod restart",
        "single            | worker-1          | kube-system  | kata-deploy         | -       | -           | SKIP          | still selects node worker-1",
        "terminating       | worker-1          | kube-system  | kata-deploy         | -       | node-aware  | FULL          | kube-system/kata-deploy is being deleted",
        "terminating       | worker-1          | kube-system  | kata-deploy         | -       | three-stage | FULL          | is being deleted",
        "multi-terminating | worker-1          | kube-system  | kata-deploy         | -       | node-aware  | INSTANCE_ONLY | kata-nightly/kata-deploy-nightly",
        "multi-terminating | worker-1          | kube-system  | kata-deploy         | -       | three-stage | INSTANCE_ONLY | kata-nightly/kata-deploy-nightly",
        "multi-terminating | worker-1-multi    | kata-nightly | kata-deploy-nightly | nightly | node-aware  | SKIP          | kata-nightly/kata-deploy-nightly still exists",
        "multi             | worker-1          | kata-nightly | kata-deploy-nightly | nightly | node-aware  | SKIP          | still selects node worker-1",
        "uninstalled       | worker-1          | kube-system  | kata-deploy         | -       | node-aware  | FULL          | does not exist",
        "uninstalled       | worker-1          | kube-system  | kata-deploy         | -       | three-stage | FULL          | does not exist",
        "uninstalled       | worker-1-multi    | kube-system  | kata-deploy         | -       | node-aware  | INSTANCE_ONLY | node mark kata-deploy.katacontainers.io/nightly=true",
        "uninstalled       | worker-1-multi    | kube-system  | kata-deploy         | -       | three-stage | FULL          | does not exist",
        "uninstalled       | worker-1-released | kube-system  | kata-deploy         | -       | node-aware  | FULL          | released: kata-deploy.katacontainers.io/nightly=false",
        "empty             | worker-1          | kube-system  | kata-deploy         | -       | node-aware  | FULL          | does not exist",
        "single            | worker-1-cordoned | kube-system  | kata-deploy         | -       | node-aware  | SKIP          | still selects node worker-1",
        "single            | worker-1-notready | kube-system  | kata-deploy         | -       | node-aware  | SKIP          | still selects node worker-1",
        "single            | worker-1-tainted  | kube-system  | kata-deploy         | -       | node-aware  | FULL          | the node's taint dedicated=gpu:NoSchedule is not tolerated",
        "single            | worker-1-tainted  | kube-system  | kata-deploy         | -       | three-stage | SKIP          | pod restart",
        "multi             | worker-1-tainted  | kube-system  | kata-deploy         | -       | node-aware  | FULL          | kata-nightly/kata-deploy-nightly: the node's taint dedicated=gpu:NoSchedule",
        "multi             | worker-1-tainted  | kube-system  | kata-deploy         | -       | three-stage | SKIP          | pod restart",
        "pool              | worker-1          | kube-system  | kata-deploy         | -       | node-aware  | FULL          | nodeSelector katacontainers.io/kata-pool=true does not match",
        "pool              | worker-1          | kube-system  | kata-deploy         | -       | three-stage | SKIP          | pod restart",
        "pool              | worker-1-pool     | kube-system  | kata-deploy         | -       | node-aware  | SKIP          | still selects node worker-1",
        "pool              | worker-1-multi    | kata-nightly | kata-deploy-nightly | nightly | node-aware  | INSTANCE_ONLY | kata-deploy.katacontainers.io/default=true",
        "pool              | worker-1-multi    | kata-nightly | kata-deploy-nightly | nightly | three-stage | SKIP          | pod restart",
    })
    void decidesOnTheCorpus(String daemonSets, String node, String namespace, String name, String suffix, String policy,
            String decision, String reasonFragment) throws IOException {
        List<String> more = new ArrayList<>(List.of("--namespace", namespace, "--daemonset-name", name));
        if (suffix != null) {
            more.addAll(List.of("--suffix", suffix));
        }
        if (policy != null) {
            more.addAll(List.of("--policy", policy));
        }
        Result r = decide(corpus("daemonsets-" + daemonSets + ".json"), corpus("node-" + node + ".json"),
                more.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).endsWith(System.lineSeparator());
        assertThat(r.out().strip()).doesNotContain("\n");
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get("decision").asText()).isEqualTo(decision);
        assertThat(json.get("reason").asText()).contains(reasonFragment);
    }

    @Test
    void aMissingFileIsExit2NamingTheFile() {
        Path missing = tmp.resolve("nope.json");
        Result r = decide(missing.toString(), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("--daemonsets " + missing, "does not exist");
        assertNoStackTrace(r);
    }

    @Test
    void truncatedJsonIsExit2WithLineAndColumn() throws IOException {
        Path bad = tmp.resolve("node.json");
        String full = Files.readString(CLUSTER.resolve("node-worker-1.json"));
        Files.writeString(bad, full.substring(0, full.length() / 2));
        Result r = decide(corpus("daemonsets-single.json"), bad.toString(), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--node " + bad, "not valid JSON at line");
        assertNoStackTrace(r);
    }

    @Test
    void anEmptyFileIsExit2() throws IOException {
        Path empty = Files.createFile(tmp.resolve("ds.json"));
        Result r = decide(empty.toString(), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--daemonsets " + empty, "empty");
        assertNoStackTrace(r);
    }

    @Test
    void swappedFilesAreExit2NamingTheKind() {
        Result r = decide(corpus("node-worker-1.json"), corpus("daemonsets-single.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--daemonsets", "expected a list of DaemonSets", "kind 'Node'");
        assertNoStackTrace(r);

        Result node = decide(corpus("daemonsets-single.json"), corpus("daemonsets-single.json"), "--namespace",
                "kube-system", "--daemonset-name", "kata-deploy");
        assertThat(node.code()).isEqualTo(2);
        assertThat(node.err()).contains("--node", "expected a Node but found kind 'List'");
    }

    @Test
    void aListOfOtherObjectsIsExit2NamingTheItem() throws IOException {
        Path pods = tmp.resolve("pods.json");
        Files.writeString(pods, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"}}]}");
        Result r = decide(pods.toString(), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("items[0] is kind 'Pod', not a DaemonSet");
    }

    @Test
    void aFieldOfTheWrongTypeIsExit2WithItsPath() throws IOException {
        Path bad = tmp.resolve("ds.json");
        Files.writeString(bad, Files.readString(CLUSTER.resolve("daemonsets-pool.json"))
                .replace("\"nodeSelector\": {\n                            \"katacontainers.io/kata-pool\": \"true\"\n"
                        + "                        },", "\"nodeSelector\": [1, 2],"));
        assertThat(Files.readString(bad)).contains("\"nodeSelector\": [1, 2]");
        Result r = decide(bad.toString(), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--daemonsets " + bad, "items[2]", ".spec.template.spec.nodeSelector");
        assertNoStackTrace(r);
    }

    @Test
    void aDaemonSetWithoutNamespaceIsExit2() throws IOException {
        Path bad = tmp.resolve("ds.json");
        Files.writeString(bad, "{\"kind\":\"DaemonSet\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"kata-deploy\"}}");
        Result r = decide(bad.toString(), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("DaemonSet 'kata-deploy' has no metadata.namespace", "kubectl get daemonsets -A");
    }

    @Test
    void aSingleDaemonSetObjectIsAccepted() throws IOException {
        Path one = tmp.resolve("ds.json");
        Files.writeString(one, "{\"kind\":\"DaemonSet\",\"apiVersion\":\"apps/v1\","
                + "\"metadata\":{\"name\":\"kata-deploy\",\"namespace\":\"kube-system\"}}");
        Result r = decide(one.toString(), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("{\"decision\":\"SKIP\",\"reason\":");
    }

    @Test
    void anUnknownPolicyIsExit2ListingTheKnownOnes() {
        Result r = decide(corpus("daemonsets-single.json"), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy", "--policy", "yolo");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--policy 'yolo'", "node-aware", "three-stage");
    }

    @Test
    void aBadSuffixIsExit2() {
        Result r = decide(corpus("daemonsets-single.json"), corpus("node-worker-1.json"), "--namespace", "kube-system",
                "--daemonset-name", "kata-deploy", "--suffix", "a/b");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--suffix 'a/b'");
    }

    @Test
    void aMissingRequiredOptionIsExit2() {
        Result r = kdeploy("decide", "--daemonsets", corpus("daemonsets-single.json"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required options", "--node");
    }

    @Test
    void debugShowsTheStackTrace() {
        Result r = kdeploy("--debug", "decide", "--daemonsets", tmp.resolve("nope.json").toString(), "--node",
                corpus("node-worker-1.json"), "--namespace", "kube-system", "--daemonset-name", "kata-deploy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist", "InvalidSpecException", "\tat ");

        Result after = kdeploy("decide", "--debug", "--daemonsets", tmp.resolve("nope.json").toString(), "--node",
                corpus("node-worker-1.json"), "--namespace", "kube-system", "--daemonset-name", "kata-deploy");
        assertThat(after.err()).contains("\tat ");
    }

    @Test
    void helpListsDecide() {
        Result r = kdeploy("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("decide", "--debug");
        Result sub = kdeploy("decide", "--help");
        assertThat(sub.code()).isZero();
        assertThat(sub.out()).contains("--daemonsets=FILE", "--node=FILE", "--namespace=NS", "--daemonset-name=NAME",
                "--suffix=S", "--policy=ID");
    }

    private static void assertNoStackTrace(Result r) {
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
        assertThat(r.err().strip()).doesNotContain("\n");
    }
}
