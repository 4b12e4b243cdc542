package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kdeploy.core.artifacts.SampleBundle;
import io.kdeploy.core.plan.Bytes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kdeploy install} and {@code kdeploy cleanup} on a temporary host root, offline, through {@link Main#run}: the JSON
 * line of DESIGN.md §6, {@code --dry-run}, text output and the exit codes. Every run passes {@code --no-restart} (the host
 * here is the build machine's systemd); restarts are covered by the core tests with a recording restarter.
 */
class InstallCleanupCommandTest {
    private static final Path CORPUS = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path host;

    @TempDir
    Path work;

    private Path config;
    private String original;
    private Path bundle;

    record Result(int code, String out, String err) {
        JsonNode json() {
            List<String> lines = out.lines().toList();
            try {
                return JSON.readTree(lines.get(lines.size() - 1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        original = Files.readString(CORPUS.resolve(
                "containerd/containerd-1.6-user-settings-debug/input/etc/containerd/config.toml"));
        config = host.resolve("etc/containerd/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, original);
        bundle = SampleBundle.writeTo(work.resolve("kata"));
    }

    private static Result kdeploy(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Result run(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--offline", "--no-restart", "--host-root", host.toString(),
                "--runtime-version", "containerd://1.7.22", "--shims", "qemu qemu-runtime-rs"));
        args.addAll(List.of(more));
        return kdeploy(args.toArray(String[]::new));
    }

    @Test
    void installPrintsTheDesignJsonAsTheLastLine() {
        Result r = run("install", "--artifacts", bundle.toString(), "--output", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = r.json();
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("action", "changedFiles", "artifactFilesWritten", "restartRequired", "restarted",
                "handlers");
        assertThat(json.get("action").asText()).isEqualTo("install");
        assertThat(texts(json.get("changedFiles"))).contains("/etc/containerd/config.toml",
                "/opt/kata/share/defaults/kata-containers/runtimes/qemu/configuration-qemu.toml");
        assertThat(json.get("artifactFilesWritten").asInt()).isGreaterThan(10);
        assertThat(json.get("restartRequired").asBoolean()).isTrue();
        assertThat(json.get("restarted").asBoolean()).isFalse();
        assertThat(texts(json.get("handlers"))).containsExactly("kata-qemu", "kata-qemu-runtime-rs");
        assertThat(read(config)).contains("runtimes.kata-qemu]");
    }

    @Test
    void aSecondInstallReportsNothingChanged() {
        run("install", "--artifacts", bundle.toString());

        Result r = run("install", "--artifacts", bundle.toString(), "--output", "json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().toString()).isEqualTo("{\"action\":\"install\",\"changedFiles\":[],\"artifactFilesWritten\":0,"
                + "\"restartRequired\":false,\"restarted\":false,\"handlers\":[\"kata-qemu\",\"kata-qemu-runtime-rs\"]}");
    }

    @Test
    void offlineCleanupIsFullAndRestoresTheConfig() {
        Map<String, String> before = snapshot(false);
        run("install", "--artifacts", bundle.toString());

        Result r = run("cleanup", "--output", "json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = r.json();
        assertThat(json.get("action").asText()).isEqualTo("cleanup");
        assertThat(json.get("decision").asText()).isEqualTo("FULL");
        assertThat(json.get("reason").asText()).contains("operator asked");
        assertThat(texts(json.get("changedFiles"))).contains("/etc/containerd/config.toml");
        assertThat(json.get("artifactFilesWritten").asInt()).isGreaterThan(10);
        assertThat(json.get("restartRequired").asBoolean()).isTrue();
        assertThat(json.get("restarted").asBoolean()).isFalse();
        assertThat(read(config)).isEqualTo(original);
        Map<String, String> after = snapshot(false);
        after.remove("/run/lock/kdeploy.lock");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void dryRunPrintsTheDiffAndTouchesNothing() {
        Map<String, String> before = snapshot(true);

        Result r = run("install", "--artifacts", bundle.toString(), "--dry-run");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("--- a/etc/containerd/config.toml", "+++ b/etc/containerd/config.toml",
                "+          [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]",
                "Only in b/opt/kata/bin: containerd-shim-kata-v2", "Dry run, nothing was changed.");
        assertThat(snapshot(true)).isEqualTo(before);
        assertThat(host.resolve("run")).doesNotExist();
    }

    @Test
    void dryRunWithJsonEndsWithTheJsonLine() {
        Result r = run("install", "--dry-run", "--output", "json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("--- a/etc/containerd/config.toml");
        assertThat(texts(r.json().get("changedFiles"))).containsExactly("/etc/containerd/config.toml");
        assertThat(r.err()).contains("warning: No artifacts were given");
        assertThat(read(config)).isEqualTo(original);
    }

    @Test
    void textOutputSummarises() {
        Result r = run("install", "--artifacts", bundle.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Runtime containerd 1.7.22, handlers kata-qemu, kata-qemu-runtime-rs.",
                "Changed configuration files: /etc/containerd/config.toml", "The runtime needs a restart; it was not restarted.");
        assertThat(run("install", "--artifacts", bundle.toString()).out()).contains("Nothing to do");
    }

    @Test
    void anInvalidSpecExitsWith2AndNoStackTrace() {
        Result r = kdeploy("install", "--offline", "--host-root", host.toString(), "--shims", "Qemu!");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Qemu!").doesNotContain("\tat ");
        assertThat(read(config)).isEqualTo(original);
    }

    @Test
    void anUnknownRuntimeOrPolicyExitsWith2() {
        assertThat(run("install", "--runtime", "docker-ce").code()).isEqualTo(2);
        Result policy = run("cleanup", "--policy", "nope");
        assertThat(policy.code()).isEqualTo(2);
        assertThat(policy.err()).contains("--policy 'nope'", "node-aware", "three-stage");
    }

    @Test
    void aMalformedConfigExitsWith3NamingTheFileAndChangesNothing() throws IOException {
        Files.writeString(config, original.replace("[grpc]", "[grpc"));
        Map<String, String> before = snapshot(true);

        Result r = run("install", "--artifacts", bundle.toString(), "--output", "json");

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("/etc/containerd/config.toml").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(snapshot(true)).isEqualTo(before);
    }

    @Test
    void aHostileArchiveExitsWith2NamingTheEntryAndChangesNothing() throws IOException {
        Path archive = work.resolve("hostile.tar");
        byte[] evil = "* * * * * root id\n".getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            TarArchiveEntry e = new TarArchiveEntry("./bin/../../../etc/cron.d/evil", TarConstants.LF_NORMAL, true);
            e.setSize(evil.length);
            e.setMode(0100644);
            tar.putArchiveEntry(e);
            tar.write(evil);
            tar.closeArchiveEntry();
        }
        Map<String, String> before = snapshot(false);

        Result r = run("install", "--artifacts", archive.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'./bin/../../../etc/cron.d/evil'", "Nothing was written").doesNotContain("\tat ");
        Map<String, String> after = snapshot(false);
        after.remove("/run/lock/kdeploy.lock");
        assertThat(after).isEqualTo(before);
        assertThat(host.resolve("opt")).doesNotExist();
        assertThat(host.resolve("etc/cron.d")).doesNotExist();
    }

    /** With a node name the commands use the cluster; one that cannot be reached stops them before the host is touched. */
    @Test
    void nodeNameWithoutOfflineUsesTheClusterAndAnUnreachableOneTouchesNothing() {
        Result r = kdeploy("install", "--host-root", host.toString(), "--node-name", "worker-1",
                "--runtime-version", "containerd://1.7.22", "--shims", "qemu");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("worker-1").doesNotContain("\tat ");
        assertThat(read(config)).isEqualTo(original);
        assertThat(host.resolve("opt/kata")).doesNotExist();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> snapshot(boolean withTimes) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(host)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String node = "/" + host.relativize(p);
                String times = withTimes ? " " + a.lastModifiedTime() : "";
                if (a.isRegularFile()) {
                    out.put(node, Bytes.of(Files.readAllBytes(p)).sha256() + times);
                } else if (a.isSymbolicLink()) {
                    out.put(node, "-> " + Files.readSymbolicLink(p));
                } else if (withTimes) {
                    out.put(node, "dir" + times);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Test
    void offlineCleanupOfAHostWithoutARuntimeOrAnInstallHasNothingToCleanUp() throws IOException {
        Path empty = work.resolve("empty-host");
        Files.createDirectories(empty.resolve("etc"));

        Result r = kdeploy("cleanup", "--offline", "--host-root", empty.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsIgnoringCase("nothing to clean up").contains("Nothing was touched.");
        try (var files = Files.walk(empty)) {
            assertThat(files.map(empty::relativize).map(Path::toString).toList()).containsExactlyInAnyOrder("", "etc");
        }

        Result json = kdeploy("cleanup", "--offline", "--host-root", empty.toString(), "--output", "json");
        assertThat(json.code()).isZero();
        assertThat(json.json().get("decision").asText()).isEqualTo("SKIP");
    }

}
