package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.KdeployException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny, realistic Kata tree (the content of {@code /opt/kata}) for demos, examples and tests: placeholder Go and Rust shim
 * binaries, QEMU, virtiofsd, a kernel and an image with Kata's {@code vmlinux.container} and {@code kata-containers.img}
 * links, and the base configurations of the {@code qemu} and {@code qemu-runtime-rs} shims with real
 * {@code [hypervisor.qemu]} tables. About 40 KB; every entry has the same fixed modification time, so two trees written from
 * it are identical. The binaries are text placeholders: nothing here can start a VM.
 *
 * <pre>{@code
 * Path tree = SampleBundle.writeTo(tmp.resolve("kata"));
 * installer.plan(ArtifactSource.of(tree), DeploySpec.of("qemu", "qemu-runtime-rs"), hostRoot);
 * }</pre>
 */
public final class SampleBundle {
    /** The modification time of every entry. */
    public static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");

    /** The shims whose base configurations the tree ships. */
    public static final List<String> SHIMS = List.of("qemu", "qemu-runtime-rs");

    /** The Go runtime's QEMU configuration, as Kata ships it (abridged, every key real). */
    public static final String QEMU_CONFIG = """
            # Copyright (c) 2017-2019 Intel Corporation
            #
            # SPDX-License-Identifier: Apache-2.0
            #
            # XXX: WARNING: this file is auto-generated.
            # XXX: Source file: "config/configuration-qemu.toml.in"

            [hypervisor.qemu]
            path = "/opt/kata/bin/qemu-system-x86_64"
            kernel = "/opt/kata/share/kata-containers/vmlinux.container"
            image = "/opt/kata/share/kata-containers/kata-containers.img"
            machine_type = "q35"
            rootfs_type = "ext4"
            enable_annotations = ["enable_iommu", "virtio_fs_extra_args", "kernel_params"]
            valid_hypervisor_paths = ["/opt/kata/bin/qemu-system-x86_64"]
            kernel_params = ""
            default_vcpus = 1
            default_memory = 2048
            shared_fs = "virtio-fs"
            virtio_fs_daemon = "/opt/kata/libexec/virtiofsd"
            valid_virtio_fs_daemon_paths = ["/opt/kata/libexec/virtiofsd"]
            block_device_driver = "virtio-scsi"
            enable_debug = false

            [factory]

            [agent.kata]
            dial_timeout = 45
            kernel_modules = []

            [runtime]
            enable_debug = false
            internetworking_model = "tcfilter"
            disable_guest_seccomp = true
            sandbox_cgroup_only = false
            """;

    /** The Rust runtime's QEMU configuration (abridged, every key real). */
    public static final String QEMU_RS_CONFIG = """
            # Copyright (c) 2017-2023 Intel Corporation
            #
            # SPDX-License-Identifier: Apache-2.0

            [hypervisor.qemu]
            path = "/opt/kata/bin/qemu-system-x86_64"
            kernel = "/opt/kata/share/kata-containers/vmlinux.container"
            image = "/opt/kata/share/kata-containers/kata-containers.img"
            machine_type = "q35"
            enable_annotations = ["enable_iommu", "virtio_fs_extra_args", "kernel_params", "default_vcpus"]
            valid_hypervisor_paths = ["/opt/kata/bin/qemu-system-x86_64"]
            kernel_params = "cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1"
            default_vcpus = 1
            default_memory = 2048
            shared_fs = "virtio-fs"
            virtio_fs_daemon = "/opt/kata/libexec/virtiofsd"
            valid_virtio_fs_daemon_paths = ["/opt/kata/libexec/virtiofsd"]
            enable_debug = false

            [agent.kata]
            dial_timeout_ms = 90
            kernel_modules = []

            [runtime]
            name = "virt_container"
            hypervisor_name = "qemu"
            agent_name = "kata"
            enable_debug = false
            """;

    private SampleBundle() {}

    /** The files of the tree (relative path to content) with their modes; symlinks are in {@link #links()}. */
    private static Map<String, Map.Entry<String, Integer>> files() {
        Map<String, Map.Entry<String, Integer>> f = new LinkedHashMap<>();
        f.put("bin/containerd-shim-kata-v2", Map.entry("#!/bin/sh\necho 'placeholder Go shim (kdeploy sample bundle)'\n", 0755));
        f.put("bin/kata-runtime", Map.entry("#!/bin/sh\necho 'placeholder kata-runtime (kdeploy sample bundle)'\n", 0755));
        f.put("bin/qemu-system-x86_64", Map.entry("placeholder QEMU " + "q".repeat(4000) + "\n", 0755));
        f.put("libexec/virtiofsd", Map.entry("placeholder virtiofsd\n", 0755));
        f.put("runtime-rs/bin/containerd-shim-kata-v2", Map.entry("placeholder Rust shim (kdeploy sample bundle)\n", 0755));
        f.put("share/defaults/kata-containers/configuration-qemu.toml", Map.entry(QEMU_CONFIG, 0644));
        f.put("share/defaults/kata-containers/runtime-rs/configuration-qemu-runtime-rs.toml", Map.entry(QEMU_RS_CONFIG, 0644));
        f.put("share/kata-containers/vmlinux-6.12.28-153", Map.entry("placeholder kernel " + "k".repeat(16_000) + "\n", 0644));
        f.put("share/kata-containers/kata-ubuntu-noble.image", Map.entry("placeholder image " + "i".repeat(16_000) + "\n", 0644));
        f.put("VERSION", Map.entry("3.20.0 (kdeploy sample bundle)\n", 0644));
        return f;
    }

    private static Map<String, String> links() {
        return Map.of(
                "share/kata-containers/vmlinux.container", "vmlinux-6.12.28-153",
                "share/kata-containers/kata-containers.img", "kata-ubuntu-noble.image");
    }

    /**
     * Writes the tree into {@code dir} (created; existing entries of the tree are replaced) and returns {@code dir}.
     *
     * @throws KdeployException when the directory cannot be written
     */
    public static Path writeTo(Path dir) {
        requireNonNull(dir, "dir");
        try {
            for (Map.Entry<String, Map.Entry<String, Integer>> e : files().entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.deleteIfExists(p);
                Files.writeString(p, e.getValue().getKey(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(e.getValue().getValue() == 0755
                        ? "rwxr-xr-x" : "rw-r--r--"));
                Files.setLastModifiedTime(p, FileTime.from(MTIME));
            }
            for (Map.Entry<String, String> l : links().entrySet()) {
                Path p = dir.resolve(l.getKey());
                Files.deleteIfExists(p);
                Files.createSymbolicLink(p, Path.of(l.getValue()));
            }
            return dir;
        } catch (IOException e) {
            throw new KdeployException("cannot write the sample Kata tree into " + dir + ": " + e.getMessage(), e);
        }
    }
}
