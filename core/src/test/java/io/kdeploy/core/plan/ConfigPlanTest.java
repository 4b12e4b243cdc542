package io.kdeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigPlanTest {
    static final String PATH = "/etc/containerd/config.toml";
    static final Bytes CURRENT = Bytes.utf8("version = 2\n\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
            + "  snapshotter = \"overlayfs\"\n  default_runtime_name = \"runc\"\n  a = 1\n  b = 2\n  c = 3\n  d = 4\n");

    @Test
    void rendersAUnifiedDiffWithThreeLinesOfContext() {
        TomlDocument doc = TomlDocument.parse(PATH, CURRENT).apply(new TomlEdit.SetValue(
                KeyPath.parse("plugins.\"io.containerd.grpc.v1.cri\".containerd.default_runtime_name"),
                TomlValues.string("kata-qemu")));
        ConfigPlan plan = new ConfigPlan(List.of(FileEdit.of(PATH, CURRENT, CURRENT, doc, 0644)), "containerd", null,
                List.of("kata-qemu"), List.of());

        assertThat(plan.isEmpty()).isFalse();
        assertThat(plan.changedPaths()).containsExactly(PATH);
        assertThat(plan.toUnifiedDiff()).isEqualTo("""
                --- a/etc/containerd/config.toml
                +++ b/etc/containerd/config.toml
                @@ -2,7 +2,7 @@
                \s
                 [plugins."io.containerd.grpc.v1.cri".containerd]
                   snapshotter = "overlayfs"
                -  default_runtime_name = "runc"
                +  default_runtime_name = "kata-qemu"
                   a = 1
                   b = 2
                   c = 3
                """);
    }

    /** The example of src/docs/toml-engine.md, as written there. */
    @Test
    void theReadmeExampleWorks() throws IOException {
        Path corpus = Path.of(System.getProperty("kdeploy.corpus", "../src/corpus"));
        String path = "/etc/containerd/config.toml";
        Bytes current = Bytes.utf8(Files.readString(corpus.resolve("toml/containerd16-crlf/input.toml")));
        KeyPath kata = KeyPath.parse("plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu");
        TomlDocument doc = TomlDocument.parse(path, current).applyAll(List.of(
                new TomlEdit.SetValue(kata.child("runtime_type"), TomlValues.string("io.containerd.kata-qemu.v2")),
                new TomlEdit.SetValue(kata.child("privileged_without_host_devices"), "true")));
        ConfigPlan plan = new ConfigPlan(List.of(FileEdit.of(path, current, current, doc, 0644)),
                "containerd", null, List.of("kata-qemu"), List.of());
        assertThat(plan.toUnifiedDiff()).contains("+  [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]");
        assertThat(doc.applyAll(doc.undo()).bytes()).isEqualTo(current);
    }

    @Test
    void createdAndDeletedFilesDiffAgainstDevNull() {
        String dropin = "/etc/containerd/conf.d/kata-deploy.toml";
        TomlDocument created = TomlDocument.parse(dropin, (Bytes) null)
                .apply(new TomlEdit.SetValue(KeyPath.of("version"), "3"));
        ConfigPlan create = new ConfigPlan(List.of(FileEdit.of(dropin, null, null, created, 0644)), null, null, List.of(),
                List.of());
        assertThat(create.toUnifiedDiff()).isEqualTo("--- /dev/null\n+++ b/etc/containerd/conf.d/kata-deploy.toml\n"
                + "@@ -0,0 +1,1 @@\n+version = 3\n");

        ConfigPlan delete = new ConfigPlan(List.of(FileEdit.of(dropin, created.bytes(), null, null, 0644)), null, null,
                List.of(), List.of());
        assertThat(delete.toUnifiedDiff()).startsWith("--- a/etc/containerd/conf.d/kata-deploy.toml\n+++ /dev/null\n")
                .endsWith("-version = 3\n");
    }

    @Test
    void aPlanWhoseEditsChangeNothingIsEmpty() {
        ConfigPlan plan = new ConfigPlan(List.of(FileEdit.of(PATH, CURRENT, CURRENT, TomlDocument.parse(PATH, CURRENT), 0644),
                FileEdit.of("/etc/absent.toml", null, null, null, 0644)), "containerd", null, List.of(), List.of());
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.changedPaths()).isEmpty();
        assertThat(plan.toUnifiedDiff()).isEmpty();
        assertThat(plan.withoutNoops().edits()).isEmpty();
    }
}
