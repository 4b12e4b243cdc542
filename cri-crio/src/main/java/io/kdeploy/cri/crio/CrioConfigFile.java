package io.kdeploy.cri.crio;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.TomlDocument;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one CRI-O configuration file sets that matters to Kata's handlers.
 *
 * @param path the node path
 * @param dropInEntry the entry of {@code crio.conf.d} the file is (or lies under, for a file in a subdirectory), which
 *     decides where CRI-O reads it; {@code null} for the main {@code crio.conf}, read before every drop-in
 * @param handlers the names of the {@code [crio.runtime.runtimes.*]} tables it defines, in file order
 * @param storageOptions its {@code [crio] storage_option} list, {@code null} when it sets none
 * @param logLevel its {@code [crio.runtime] log_level}, {@code null} when it sets none
 */
record CrioConfigFile(
        String path,
        @Nullable String dropInEntry,
        List<String> handlers,
        @Nullable List<String> storageOptions,
        @Nullable String logLevel) {
    CrioConfigFile {
        requireNonNull(path, "path");
        handlers = List.copyOf(requireNonNull(handlers, "handlers"));
        storageOptions = storageOptions == null ? null : List.copyOf(storageOptions);
    }

    /**
     * Reads a file.
     *
     * @throws io.kdeploy.core.MalformedConfigException with line and column when it is not valid TOML
     */
    static CrioConfigFile parse(String path, @Nullable String dropInEntry, Bytes content) {
        TomlDocument doc = TomlDocument.parse(path, content);
        List<String> options = doc.get(CrioDropIn.STORAGE_OPTION)
                .map(v -> v instanceof List<?> list
                        ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList()
                        : List.<String>of())
                .orElse(null);
        String logLevel = doc.get(CrioDropIn.LOG_LEVEL).filter(String.class::isInstance).map(String.class::cast).orElse(null);
        return new CrioConfigFile(path, dropInEntry, List.copyOf(doc.keys(CrioDropIn.RUNTIMES)), options, logLevel);
    }

    /** True when CRI-O reads this file after the top-level drop-in {@code name} (so its settings win). */
    boolean readAfter(String name) {
        return dropInEntry != null && CrioFiles.compareNames(dropInEntry, name) > 0;
    }

    /** True when kata-deploy or a kdeploy instance wrote this drop-in. */
    boolean isKataInstallFile() {
        return dropInEntry != null && dropInEntry.equals(path.substring(path.lastIndexOf('/') + 1))
                && CrioFiles.isKataInstallFile(dropInEntry);
    }
}
