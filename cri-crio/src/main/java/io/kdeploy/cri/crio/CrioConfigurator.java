package io.kdeploy.cri.crio;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.Version;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.plan.ValidationCommand;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.TomlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Registers Kata's handlers in CRI-O through drop-ins (id {@code crio}).
 *
 * <p>An install owns {@code /etc/crio/crio.conf.d/99-kata-deploy[-<suffix>]} (kata-deploy's own file name, without an
 * extension, so installing over kata-deploy replaces its file instead of defining the handlers twice) and, with DEBUG,
 * {@code 100-kata-deploy-debug[-<suffix>]}. Both are generated from an empty document with the core TOML engine, so a
 * re-install writes nothing and a revert puts back exactly what was there before. {@code crio.conf} and the other drop-ins
 * are only read, to find conflicts (see {@link #plan}).
 */
public final class CrioConfigurator implements CriConfigurator {
    private static final int MODE = 0644;

    /** A configurer; does no I/O. */
    public CrioConfigurator() {
        // Providers are created by ServiceLoader; all state comes with each call.
    }

    @Override
    public String id() {
        return "crio";
    }

    @Override
    public boolean supports(RuntimeInfo runtime) {
        return runtime.flavour() == Flavour.CRIO;
    }

    /**
     * A node runs CRI-O when it has {@code /etc/crio/crio.conf} or {@code /etc/crio/crio.conf.d} and a {@code crio} binary
     * ({@code /usr/bin}, {@code /usr/local/bin}) or {@code crio.service} unit. The version comes from CRI-O's version file
     * ({@code /var/lib/crio/version}, {@code /run/crio/version}); {@code 0.0.0} when CRI-O never ran.
     */
    @Override
    public Optional<RuntimeInfo> detect(NodeFiles files) {
        boolean configured = files.read(CrioFiles.MAIN_CONFIG).isPresent() || files.isDirectory(CrioFiles.DROP_IN_DIR);
        boolean installed = CrioFiles.BINARIES.stream().anyMatch(p -> isFile(files, p))
                || CrioFiles.UNITS.stream().anyMatch(p -> isFile(files, p));
        return configured && installed ? Optional.of(new RuntimeInfo(Flavour.CRIO, installedVersion(files))) : Optional.empty();
    }

    /**
     * Plans the drop-ins for the spec. Reads {@code crio.conf} and every drop-in in CRI-O's order first: a handler name of
     * ours defined in a file that is not a Kata install's is an {@link InvalidSpecException} unless
     * {@link PlanContext#force()}; other conflicts, and snapshotter mappings (which CRI-O cannot honour), become warnings
     * naming the file. A debug drop-in of an earlier install is deleted when DEBUG is off now.
     *
     * @throws io.kdeploy.core.MalformedConfigException when a CRI-O configuration file is not valid TOML
     */
    @Override
    public ConfigPlan plan(PlanContext ctx) {
        DeploySpec spec = ctx.spec();
        String dropIn = CrioFiles.inDropInDir(CrioFiles.dropInName(spec));
        String debug = CrioFiles.inDropInDir(CrioFiles.debugDropInName(spec));
        List<CrioConfigFile> config = CrioConfigScan.scan(ctx.files(), Set.of(dropIn, debug));
        List<String> warnings = new ArrayList<>(CrioConflicts.check(config, spec, ctx.runtime(), ctx.force()));
        snapshotterWarning(spec).ifPresent(warnings::add);

        List<FileEdit> edits = new ArrayList<>();
        TomlDocument handlers = TomlDocument.parse(dropIn, (Bytes) null).applyAll(CrioDropIn.handlerEdits(spec));
        edits.add(FileEdit.of(dropIn, ctx.current(dropIn), ctx.baseline(dropIn), handlers, MODE));
        Bytes debugBaseline = ctx.baseline(debug);
        if (spec.debug()) {
            TomlDocument level = TomlDocument.parse(debug, (Bytes) null).applyAll(CrioDropIn.debugEdits());
            edits.add(FileEdit.of(debug, ctx.current(debug), debugBaseline, level, MODE));
        } else {
            edits.add(new FileEdit(debug, ctx.current(debug), debugBaseline, debugBaseline, MODE, List.of()));
        }
        return finish(new ConfigPlan(edits, CrioFiles.UNIT, validation(ctx.files()), spec.handlers(), warnings)
                .withoutNoops());
    }

    /**
     * Plans the removal of this install: every file its record names goes back to its baseline (our drop-ins are deleted,
     * or a file kata-deploy had there is put back). Other installs' drop-ins are not touched. A drop-in with this install's
     * name that the record does not know is left in place with a warning.
     */
    @Override
    public ConfigPlan planRevert(PlanContext ctx) {
        DeploySpec spec = ctx.spec();
        Set<String> recorded = ctx.baselines().recordedPaths();
        List<String> warnings = new ArrayList<>();
        for (String name : List.of(CrioFiles.dropInName(spec), CrioFiles.debugDropInName(spec))) {
            String path = CrioFiles.inDropInDir(name);
            if (!recorded.contains(path) && ctx.current(path) != null) {
                warnings.add(path + " exists but this install (" + spec.instance() + ") has no record of writing it"
                        + " (kata-deploy or an earlier tool may have); it is left in place. Delete it by hand if no"
                        + " other Kata install uses it, then restart crio.");
            }
        }
        ConfigPlan revert = ConfigPlan.revert(ctx, CrioFiles.UNIT, validation(ctx.files()));
        return finish(new ConfigPlan(revert.edits(), revert.restartUnit(), revert.validation(), revert.handlers(),
                warnings));
    }

    /** The runtime's check of the written configuration, when a {@code crio} binary is on the node. */
    static @Nullable ValidationCommand validation(NodeFiles files) {
        return CrioFiles.BINARIES.stream()
                .filter(p -> isFile(files, p))
                .findFirst()
                .map(p -> new ValidationCommand(List.of(p, "--config-dir", CrioFiles.DROP_IN_DIR, "config")))
                .orElse(null);
    }

    /** The plan with its restart unit only when it changes something. */
    private static ConfigPlan finish(ConfigPlan plan) {
        return plan.isEmpty()
                ? new ConfigPlan(plan.edits(), null, plan.validation(), plan.handlers(), plan.warnings())
                : plan;
    }

    private static Optional<String> snapshotterWarning(DeploySpec spec) {
        Map<String, String> mapping = spec.snapshotterMapping();
        if (mapping.isEmpty()) {
            return Optional.empty();
        }
        String pairs = mapping.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" "));
        return Optional.of("SNAPSHOTTER_HANDLER_MAPPING (" + pairs + ") is ignored on CRI-O, which has no per-handler"
                + " snapshotter; the handlers use CRI-O's storage. For guest pull on CRI-O map the shims to guest-pull in"
                + " PULL_TYPE_MAPPING instead (runtime_pull_image = true), or remove the mapping.");
    }

    /** True when something other than a directory is at the path; looked up in the parent's listing, never read. */
    private static boolean isFile(NodeFiles files, String path) {
        int slash = path.lastIndexOf('/');
        return files.list(path.substring(0, slash)).contains(path.substring(slash + 1)) && !files.isDirectory(path);
    }

    private static Version installedVersion(NodeFiles files) {
        for (String path : CrioFiles.VERSION_FILES) {
            Optional<Bytes> content = files.read(path);
            if (content.isPresent()) {
                String text = content.get().asUtf8().strip();
                if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                    text = text.substring(1, text.length() - 1);
                }
                try {
                    return Version.parse(text);
                } catch (InvalidSpecException e) {
                    // A damaged version file says nothing about the version; try the next one.
                    continue;
                }
            }
        }
        return new Version(0, 0, 0);
    }
}
