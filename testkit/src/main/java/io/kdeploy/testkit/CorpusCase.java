package io.kdeploy.testkit;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.plan.Bytes;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One input of a configurer's corpus for {@link CriConfiguratorContract}: the node's files before the install, the spec, the
 * runtime, the file the configurer parses first (the contract breaks it to check the malformed-input error), and what
 * cleanup must give back (usually the input itself).
 *
 * @param name a short name shown in test reports, e.g. {@code containerd-1.7-crlf-bom}
 * @param files node path to content, e.g. {@code /etc/containerd/config.toml}
 * @param spec what to install
 * @param runtime the node's runtime
 * @param mainFile the node path of the file the configurer parses (it may be absent in {@code files})
 * @param reverted the files after install and cleanup; equal to {@code files} unless cleanup deliberately differs
 */
public record CorpusCase(
        String name, Map<String, Bytes> files, DeploySpec spec, RuntimeInfo runtime, String mainFile,
        Map<String, Bytes> reverted) {
    public CorpusCase {
        requireNonNull(name, "name");
        files = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(files, "files")));
        requireNonNull(spec, "spec");
        requireNonNull(runtime, "runtime");
        requireNonNull(mainFile, "mainFile");
        reverted = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(reverted, "reverted")));
        if (!mainFile.startsWith("/")) {
            throw new IllegalArgumentException("mainFile must be a node path starting with '/': " + mainFile);
        }
    }

    /** A case whose cleanup gives back exactly its input. */
    public static CorpusCase of(String name, Map<String, Bytes> files, DeploySpec spec, RuntimeInfo runtime, String mainFile) {
        return new CorpusCase(name, files, spec, runtime, mainFile, files);
    }

    /** This case with its main file replaced (or created). */
    public CorpusCase withMainFile(Bytes content) {
        Map<String, Bytes> f = new TreeMap<>(files);
        f.put(mainFile, content);
        return new CorpusCase(name, f, spec, runtime, mainFile, reverted);
    }

    @Override
    public String toString() {
        return name;
    }
}
