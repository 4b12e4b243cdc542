package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why containerd 1.x is edited in place: with real containerd 1.6, a drop-in that only adds Kata's handlers through
 * {@code imports} replaces the whole CRI plugin section, so the user's pause image, runc cgroup driver and registry mirrors
 * silently vanish; the in-place edit keeps them all.
 */
class ImportsDropInIT {
    private static final KeyPath CRI = KeyPath.of("plugins", RuntimeStanza.CRI_V2);

    @Test
    void anImportedDropInLosesTheUsersCriSettingsAndInPlaceKeepsThem(@TempDir Path dir) throws IOException {
        ContainerdBinary.require();
        GoldenCase c = GoldenCase.load("containerd-1.6-user-settings-debug");
        DeploySpec spec = DeploySpec.of("qemu");
        Bytes user = c.input().get(ContainerdPaths.CONTAINERD_MAIN);
        TomlDocument userDoc = TomlDocument.parse("user", user);
        assertThat(userDoc.get(CRI.child("sandbox_image"))).contains("registry.internal.example.com/k8s/pause:3.9");

        Path dropIn = dir.resolve("kata-deploy.toml");
        Files.writeString(dropIn, TomlDocument.parse("drop-in", "version = 2\n")
                .applyAll(RuntimeStanza.edits(spec, 2)).text());
        Path main = dir.resolve("config.toml");
        Files.write(main, userDoc.apply(new TomlEdit.AppendToArray(KeyPath.of("imports"),
                TomlValues.string(dropIn.toString()))).bytes().toArray());
        TomlDocument viaImport = dump(main);
        ConfigDumpIT.assertHandlersIn(viaImport, spec);
        assertThat(viaImport.get(CRI.child("sandbox_image"))).as("pause image via imports")
                .isNotEqualTo(userDoc.get(CRI.child("sandbox_image")));
        assertThat(viaImport.get(RuntimeStanza.runtimesTable(2).child("runc").child("options").child("SystemdCgroup")))
                .as("runc SystemdCgroup via imports").isNotEqualTo(userDoc.get(
                        RuntimeStanza.runtimesTable(2).child("runc").child("options").child("SystemdCgroup")));
        assertThat(viaImport.has(CRI.child("registry").child("mirrors").child("docker.io"))).as("mirror via imports").isFalse();
        assertThat(viaImport.has(RuntimeStanza.runtimesTable(2).child("runsc"))).as("user's gVisor via imports").isFalse();

        Map<String, Bytes> out = new TestNode(c.input()).installed(new ContainerdConfigurator(), spec, c.runtime());
        Files.write(main, out.get(ContainerdPaths.CONTAINERD_MAIN).toArray());
        TomlDocument inPlace = dump(main);
        ConfigDumpIT.assertHandlersIn(inPlace, spec);
        ConfigDumpIT.assertUserSettingsIn(inPlace, userDoc, spec);
    }

    private static TomlDocument dump(Path config) {
        ContainerdBinary.Run r = ContainerdBinary.configDump(config);
        assertThat(r.exit()).as(r.stderr()).isZero();
        return TomlDocument.parse("config dump", r.stdout());
    }
}
