package io.kdeploy.core.artifacts;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.kdeploy.core.artifacts.SampleBundle;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds Kata artifact trees (the content of {@code /opt/kata}) for tests, examples and benchmarks: {@link #standard()} is a
 * small, realistic one with the Go and Rust shim binaries, the base
 * configurations of {@code qemu} and {@code qemu-runtime-rs} with real {@code [hypervisor.qemu]} tables, a kernel, an image
 * and the {@code vmlinux.container} symlink. Written as a directory or a {@code .tar}, {@code .tar.gz} or {@code .tar.zst}.
 * Every entry has a fixed modification time, so two bundles with the same content are identical.
 *
 * <pre>{@code
 * Path artifacts = BundleBuilder.standard().writeArchive(tempDir, BundleBuilder.Compression.GZIP);
 * }</pre>
 */
public final class BundleBuilder {
    /** The modification time of every entry unless set otherwise. */
    public static final Instant MTIME = Instant.parse("2026-01-01T00:00:00Z");

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
            firmware = ""
            firmware_volume = ""
            cpu_features = "pmu=off"
            default_vcpus = 1
            default_memory = 2048
            shared_fs = "virtio-fs"
            virtio_fs_daemon = "/opt/kata/libexec/virtiofsd"
            valid_virtio_fs_daemon_paths = ["/opt/kata/libexec/virtiofsd"]
            virtio_fs_extra_args = ["--thread-pool-size=1", "--announce-submounts"]
            virtio_fs_cache = "auto"
            block_device_driver = "virtio-scsi"
            enable_debug = false
            valid_file_mem_backends = [""]
            valid_entropy_sources = ["/dev/urandom", "/dev/random", ""]

            [factory]

            [agent.kata]
            dial_timeout = 45
            kernel_modules = []

            [runtime]
            enable_debug = false
            internetworking_model = "tcfilter"
            disable_guest_seccomp = true
            sandbox_cgroup_only = false
            experimental = []
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

    private final Map<String, Node> nodes = new LinkedHashMap<>();

    private record Node(byte[] content, int mode, String link, Instant mtime, long sparseSize) {
        boolean isLink() {
            return !link.isEmpty();
        }
    }

    private BundleBuilder() {
    }

    /** The standard tree. */
    public static BundleBuilder standard() {
        return new BundleBuilder()
                .file("bin/containerd-shim-kata-v2", "#!/bin/sh\necho go shim v3.20.0\n", 0755)
                .file("bin/kata-runtime", "#!/bin/sh\necho kata-runtime\n", 0755)
                .file("bin/qemu-system-x86_64", "\u007fELF fake qemu " + "q".repeat(3000) + "\n", 0755)
                .file("libexec/virtiofsd", "\u007fELF fake virtiofsd\n", 0755)
                .file("runtime-rs/bin/containerd-shim-kata-v2", "\u007fELF fake rust shim v3.20.0\n", 0755)
                .file("share/defaults/kata-containers/configuration-qemu.toml", QEMU_CONFIG, 0644)
                .file("share/defaults/kata-containers/runtime-rs/configuration-qemu-runtime-rs.toml", QEMU_RS_CONFIG, 0644)
                .file("share/kata-containers/vmlinux-6.12.28-153", "fake kernel " + "k".repeat(20_000) + "\n", 0644)
                .symlink("share/kata-containers/vmlinux.container", "vmlinux-6.12.28-153")
                .file("share/kata-containers/kata-ubuntu-noble.image", "fake image " + "i".repeat(50_000) + "\n", 0644)
                .symlink("share/kata-containers/kata-containers.img", "/opt/kata/share/kata-containers/kata-ubuntu-noble.image")
                .file("versions.yaml", "kata: 3.20.0\n", 0644);
    }

    /** Adds or replaces a file with the default modification time. */
    public BundleBuilder file(String path, String content, int mode) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), mode, MTIME);
    }

    /** Adds or replaces a file. */
    public BundleBuilder file(String path, byte[] content, int mode, Instant mtime) {
        nodes.put(path, new Node(content.clone(), mode, "", mtime, -1));
        return this;
    }

    /** Adds a file of {@code size} zero bytes, written as a sparse file (costs almost no disk in a directory). */
    public BundleBuilder sparseFile(String path, long size) {
        nodes.put(path, new Node(new byte[0], 0644, "", MTIME, size));
        return this;
    }

    /** Adds or replaces a symlink. */
    public BundleBuilder symlink(String path, String target) {
        nodes.put(path, new Node(new byte[0], 0777, target, MTIME, -1));
        return this;
    }

    /** Removes an entry. */
    public BundleBuilder without(String path) {
        nodes.remove(path);
        return this;
    }

    /** The relative paths of the files and symlinks of the bundle. */
    public Set<String> paths() {
        return Set.copyOf(nodes.keySet());
    }

    /** Writes the tree into {@code dir} (created) and returns it. */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Node> e : nodes.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Node n = e.getValue();
                Files.deleteIfExists(p);
                if (n.isLink()) {
                    Files.createSymbolicLink(p, Path.of(n.link()));
                    continue;
                }
                if (n.sparseSize() >= 0) {
                    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                        raf.setLength(n.sparseSize());
                    }
                } else {
                    Files.write(p, n.content());
                }
                Files.setPosixFilePermissions(p, perms(n.mode()));
                Files.setLastModifiedTime(p, FileTime.from(n.mtime()));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The archive formats {@link #writeArchive} writes. */
    public enum Compression {
        NONE(".tar"),
        GZIP(".tar.gz"),
        ZSTD(".tar.zst");

        private final String extension;

        Compression(String extension) {
            this.extension = extension;
        }

        /** The file name extension, e.g. {@code .tar.zst}. */
        public String extension() {
            return extension;
        }
    }

    /** Writes the tree as an archive {@code <dir>/kata-static<ext>} (entries {@code ./bin/…}) and returns its path. */
    public Path writeArchive(Path dir, Compression compression) {
        Path file = dir.resolve("kata-static" + compression.extension());
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file));
                OutputStream out = compress(raw, compression);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Set<String> dirs = new TreeSet<>();
            for (String path : nodes.keySet()) {
                for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
                    dirs.add(path.substring(0, i));
                }
            }
            for (String d : dirs) {
                TarArchiveEntry e = new TarArchiveEntry("./" + d + "/");
                e.setMode(040755);
                e.setModTime(FileTime.from(MTIME));
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, Node> en : nodes.entrySet()) {
                Node n = en.getValue();
                if (n.isLink()) {
                    TarArchiveEntry e = new TarArchiveEntry("./" + en.getKey(), TarConstants.LF_SYMLINK);
                    e.setLinkName(n.link());
                    e.setModTime(FileTime.from(n.mtime()));
                    tar.putArchiveEntry(e);
                } else {
                    TarArchiveEntry e = new TarArchiveEntry("./" + en.getKey());
                    long size = n.sparseSize() >= 0 ? n.sparseSize() : n.content().length;
                    e.setSize(size);
                    e.setMode(0100000 | n.mode());
                    e.setModTime(FileTime.from(n.mtime()));
                    tar.putArchiveEntry(e);
                    if (n.sparseSize() >= 0) {
                        byte[] buf = new byte[1 << 16];
                        for (long left = size; left > 0; left -= buf.length) {
                            tar.write(buf, 0, (int) Math.min(buf.length, left));
                        }
                    } else {
                        tar.write(n.content());
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static OutputStream compress(OutputStream raw, Compression c) throws IOException {
        switch (c) {
            case NONE:
                return raw;
            case GZIP:
                return new GZIPOutputStream(raw, 1 << 16);
            case ZSTD:
                return new ZstdOutputStreamNoFinalizer(raw, 3);
            default:
                throw new AssertionError(c);
        }
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - p.ordinal()))) != 0) {
                out.add(p);
            }
        }
        return out;
    }
}
