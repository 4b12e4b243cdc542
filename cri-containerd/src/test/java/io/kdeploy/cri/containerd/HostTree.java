package io.kdeploy.cri.containerd;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.ApplyResult;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import io.kdeploy.core.plan.NodeLock;
import io.kdeploy.core.plan.PlanApplier;
import io.kdeploy.core.spi.PlanContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A real host root in a directory for the reliability tests: created from a golden case's node files, installed into and
 * cleaned up through core's {@link PlanApplier}, and read back as a whole tree for exact comparisons.
 */
final class HostTree {
    private static final ContainerdConfigurator CONFIGURATOR = new ContainerdConfigurator();

    private HostTree() {}

    /** A host root under {@code dir} holding exactly these node files. */
    static HostRoot create(Path dir, Map<String, Bytes> files) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Bytes> e : files.entrySet()) {
                Path f = dir.resolve(e.getKey().substring(1));
                Files.createDirectories(f.getParent());
                Files.write(f, e.getValue().toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HostRoot.of(dir);
    }

    /** Plans the install of {@code spec} from the host's files and record, and applies it under one hold of the lock. */
    static ApplyResult install(PlanApplier applier, DeploySpec spec, RuntimeInfo runtime) {
        return applier.planAndApply(spec.instance(), h -> CONFIGURATOR.plan(context(h, spec, runtime)));
    }

    /**
     * Plans the cleanup of {@code spec} from the host's record, applies it and forgets the instance's record, as the
     * {@code cleanup} command does (a file an interrupted cleanup already put back is no longer in the revert plan).
     */
    static ApplyResult cleanup(PlanApplier applier, DeploySpec spec, RuntimeInfo runtime) {
        ApplyResult r = applier.planAndApply(spec.instance(), h -> CONFIGURATOR.planRevert(context(h, spec, runtime)));
        applier.forget(spec.instance());
        return r;
    }

    private static PlanContext context(HostRoot h, DeploySpec spec, RuntimeInfo runtime) {
        return new PlanContext(h, spec, runtime, InstallRecords.baselinesFor(h, spec.instance()), false);
    }

    /**
     * Every file, symlink and directory under the host root (node path to bytes; a directory maps to an empty value
     * under {@code path/}, a link to {@code -> target}), without the node lock file, whose existence is not state. Files
     * are compared as text when they are UTF-8 (readable failure messages), else as their hash.
     */
    static Map<String, String> tree(Path root, boolean withDirectories) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String node = "/" + root.relativize(p).toString();
                if (p.equals(root) || node.equals(NodeLock.NODE_PATH)) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    out.put(node, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (withDirectories) {
                        out.put(node + "/", "");
                    }
                } else {
                    out.put(node, text(Files.readAllBytes(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A file's content for comparison: its text when it is UTF-8, else its size and hash. */
    static String text(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return Bytes.of(content).toString();
        }
    }

    /** Node files as the {@link #tree} of a host that holds exactly them. */
    static Map<String, String> texts(Map<String, Bytes> files) {
        Map<String, String> out = new TreeMap<>();
        files.forEach((k, v) -> out.put(k, text(v.toArray())));
        return out;
    }
}
