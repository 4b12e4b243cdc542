package io.kdeploy.testkit;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.Version;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node to plan against: its runtime and its files, as an in-memory {@link NodeFiles} or written into a temporary host
 * root. Immutable; every {@code with…} returns a new fixture.
 *
 * <pre>{@code
 * NodeFixture node = NodeFixture.containerd("1.7.22").withConfig("version = 2\n");
 * ConfigPlan plan = configurator.plan(node.context(DeploySpec.of("qemu")));
 * HostRoot root = node.writeTo(tempDir);        // the same files on disk, for PlanApplier or the CLI
 * }</pre>
 */
public final class NodeFixture {
    private final RuntimeInfo runtime;
    private final String configPath;
    private final Map<String, Bytes> files;

    private NodeFixture(RuntimeInfo runtime, String configPath, Map<String, Bytes> files) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.configPath = requireNonNull(configPath, "configPath");
        this.files = new TreeMap<>(files);
    }

    /** A plain containerd node of this version ({@code 1.7.22}); its config is {@code /etc/containerd/config.toml}. */
    public static NodeFixture containerd(String version) {
        return new NodeFixture(new RuntimeInfo(Flavour.CONTAINERD, Version.parse(version)), "/etc/containerd/config.toml",
                Map.of());
    }

    /** A CRI-O node of this version ({@code 1.31.1}); its config is {@code /etc/crio/crio.conf}. */
    public static NodeFixture crio(String version) {
        return new NodeFixture(new RuntimeInfo(Flavour.CRIO, Version.parse(version)), "/etc/crio/crio.conf", Map.of());
    }

    /** A node of any runtime whose main config file is at {@code configPath}. */
    public static NodeFixture of(RuntimeInfo runtime, String configPath) {
        return new NodeFixture(runtime, configPath, Map.of());
    }

    /** This node with its main config file holding {@code text} (UTF-8, written as given: CRLF and BOM kept). */
    public NodeFixture withConfig(String text) {
        return withFile(configPath, text);
    }

    /** This node with a file at a node path. */
    public NodeFixture withFile(String nodePath, String text) {
        return withFile(nodePath, Bytes.utf8(text));
    }

    /** This node with a file at a node path. */
    public NodeFixture withFile(String nodePath, Bytes content) {
        if (!nodePath.startsWith("/")) {
            throw new IllegalArgumentException("a node path starts with '/': " + nodePath);
        }
        Map<String, Bytes> f = new TreeMap<>(files);
        f.put(nodePath, content);
        return new NodeFixture(runtime, configPath, f);
    }

    /** This node without the file at a node path. */
    public NodeFixture without(String nodePath) {
        Map<String, Bytes> f = new TreeMap<>(files);
        f.remove(nodePath);
        return new NodeFixture(runtime, configPath, f);
    }

    /** The node's runtime. */
    public RuntimeInfo runtime() {
        return runtime;
    }

    /** The node path of the main config file. */
    public String configPath() {
        return configPath;
    }

    /** The files, node path to content. */
    public Map<String, Bytes> files() {
        return new TreeMap<>(files);
    }

    /** The files as a configurer reads them. */
    public NodeFiles nodeFiles() {
        return NodeFiles.of(files);
    }

    /** A planning context for a first install of {@code spec} on this node. */
    public PlanContext context(DeploySpec spec) {
        return PlanContext.fresh(nodeFiles(), spec, runtime);
    }

    /** A corpus case for {@link CriConfiguratorContract} with this node's main config as its main file. */
    public CorpusCase toCase(String name, DeploySpec spec) {
        return CorpusCase.of(name, files, spec, runtime, configPath);
    }

    /** Writes the files under {@code dir} (created; mode 0644) and returns it as a host root. */
    public HostRoot writeTo(Path dir) {
        return write(dir, files);
    }

    /** Writes {@code files} (node path to content) under {@code dir} (created) and returns it as a host root. */
    static HostRoot write(Path dir, Map<String, Bytes> files) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Bytes> e : files.entrySet()) {
                Path p = dir.resolve(e.getKey().substring(1));
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue().toArray());
            }
            return HostRoot.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the node fixture under " + dir + ": " + e.getMessage(), e);
        }
    }
}
