package io.kdeploy.cri.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdeploy.cri.containerd.CriStartupLog.CriRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The startup-line parser, on a line logged by Debian's containerd 1.6.20 (copied from a real run). */
class CriStartupLogTest {
    static final String LINE = "time=\"2026-11-25T02:55:45.030083325Z\" level=info msg=\"Start cri plugin with config"
            + " {PluginConfig:{ContainerdConfig:{Snapshotter:overlayfs DefaultRuntimeName:runc DefaultRuntime:{Type: Path:"
            + " Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[] PrivilegedWithoutHostDevices:false"
            + " BaseRuntimeSpec: NetworkPluginConfDir: NetworkPluginMaxConfNum:0} UntrustedWorkloadRuntime:{Type: Path:"
            + " Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[] PrivilegedWithoutHostDevices:false"
            + " BaseRuntimeSpec: NetworkPluginConfDir: NetworkPluginMaxConfNum:0} Runtimes:map[kata-qemu:{Type:"
            + "io.containerd.kata-qemu.v2 Path:/opt/kata/bin/containerd-shim-kata-v2 Engine: PodAnnotations:"
            + "[io.katacontainers.*] ContainerAnnotations:[] Root: Options:map[ConfigPath:/opt/kata/x.toml]"
            + " PrivilegedWithoutHostDevices:true BaseRuntimeSpec: NetworkPluginConfDir: NetworkPluginMaxConfNum:0}"
            + " runc:{Type:io.containerd.runc.v2 Path: Engine: PodAnnotations:[] ContainerAnnotations:[] Root:"
            + " Options:map[SystemdCgroup:true] PrivilegedWithoutHostDevices:false BaseRuntimeSpec: NetworkPluginConfDir:"
            + " NetworkPluginMaxConfNum:0}] NoPivot:false DisableSnapshotAnnotations:true DiscardUnpackedLayers:false"
            + " IgnoreRdtNotEnabledErrors:false} CniConfig:{NetworkPluginBinDir:/opt/cni/bin} Registry:{ConfigPath:"
            + " Mirrors:map[] Configs:map[] Auths:map[] Headers:map[]} SandboxImage:registry.k8s.io/pause:3.9"
            + " StatsCollectPeriod:10} ContainerdRootDir:/tmp/ctdtest/root}\"";

    @Test
    void readsRuntimesAndSandboxImage() {
        assertThat(CriStartupLog.find("other\n" + LINE + "\nmore")).contains(LINE);
        Map<String, CriRuntime> runtimes = CriStartupLog.runtimes(LINE);
        assertThat(runtimes).containsOnlyKeys("kata-qemu", "runc");
        assertThat(runtimes.get("kata-qemu")).isEqualTo(new CriRuntime("io.containerd.kata-qemu.v2",
                "/opt/kata/bin/containerd-shim-kata-v2", Map.of("ConfigPath", "/opt/kata/x.toml"),
                List.of("io.katacontainers.*"), List.of(), true));
        assertThat(runtimes.get("runc").options()).containsEntry("SystemdCgroup", "true");
        assertThat(runtimes.get("runc").path()).isEmpty();
        assertThat(CriStartupLog.sandboxImage(LINE)).isEqualTo("registry.k8s.io/pause:3.9");
    }
}
