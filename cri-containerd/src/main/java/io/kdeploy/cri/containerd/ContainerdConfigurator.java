package io.kdeploy.cri.containerd;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.Flavour;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataExtras;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.RuntimeInfo;
import io.kdeploy.core.Version;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.plan.ConfigPlan;
import io.kdeploy.core.plan.FileEdit;
import io.kdeploy.core.plan.UnitActions;
import io.kdeploy.core.plan.ValidationCommand;
import io.kdeploy.core.spi.CriConfigurator;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.spi.PlanContext;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import io.kdeploy.core.toml.TomlValues;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Registers Kata's runtime handlers with containerd and its distributions (plain containerd 1.6 to 2.x, k3s, rke2, k0s,
 * microk8s), id {@code containerd}. Which file is written depends on the flavour and version (DESIGN.md §4):
 *
 * <ul>
 *   <li>containerd 1.6/1.7: the main {@code /etc/containerd/config.toml}, edited in place (created as {@code version = 2}
 *       when missing). containerd 1.x lets an imported file replace whole plugin sections, so a drop-in would drop the
 *       user's CRI settings.
 *   <li>containerd 2.0/2.1: {@code <dest>/containerd/config.d/kata-deploy[-sfx].toml} plus its path in the main file's
 *       {@code imports}.
 *   <li>containerd 2.2+ whose main file imports {@code /etc/containerd/conf.d}: {@code conf.d/kata-deploy[-sfx].toml}, main
 *       untouched except for scrubbing a legacy import of this install's dest; otherwise as 2.0.
 *   <li>k3s/rke2: {@code config-v3.toml.d/} (schema 3) or {@code config.toml.d/} (schema 2) next to the rendered config,
 *       which must import that directory.
 *   <li>k0s: {@code /etc/k0s/containerd.d/kata-deploy[-sfx].toml}, no restart.
 *   <li>microk8s: {@code args/containerd-template.toml}, edited in place.
 * </ul>
 *
 * Every plan starts from each file's baseline (the file without this install's earlier edits), so an upgrade drops handlers
 * no longer wanted and another instance's handlers are never touched.
 */
public final class ContainerdConfigurator implements CriConfigurator {
    private static final int FILE_MODE = 0644;

    /** A configurer; does no I/O. */
    public ContainerdConfigurator() {}

    /** {@code containerd}. */
    @Override
    public String id() {
        return "containerd";
    }

    /** True for containerd and every distribution that runs it (not for CRI-O). */
    @Override
    public boolean supports(RuntimeInfo runtime) {
        return runtime.flavour().isContainerd();
    }

    /** The flavour the host's files show (see {@link FlavourDetector}), with the version inferred from its config. */
    @Override
    public Optional<RuntimeInfo> detect(NodeFiles files) {
        return FlavourDetector.detect(null, files);
    }

    /**
     * The runtime for {@code --runtime auto} given the node's {@code containerRuntimeVersion} (may be {@code null}): the
     * host's distribution wins over the version string, which k3s v1.34+ no longer marks.
     */
    public Optional<RuntimeInfo> detect(@Nullable String runtimeVersion, NodeFiles files) {
        return FlavourDetector.detect(runtimeVersion, files);
    }

    /**
     * Plans the install for the context's flavour and version.
     *
     * @throws InvalidSpecException when the declared flavour contradicts the host, a snapshotter mapping meets containerd
     *     1.6, or k3s/rke2 do not import their drop-in directory
     * @throws io.kdeploy.core.MalformedConfigException when a host config is not valid TOML
     */
    @Override
    public ConfigPlan plan(PlanContext ctx) {
        RuntimeInfo runtime = ctx.runtime();
        Flavour flavour = requireContainerd(runtime);
        FlavourDetector.verifyDeclared(flavour, ctx.files());
        ctx.spec().extras().checkDistribution(flavour);
        checkSnapshotterSupport(ctx.spec(), runtime.version());
        Erofs.check(ctx.spec(), runtime.version(), ctx.files());
        boolean inPlace = flavour == Flavour.MICROK8S || flavour == Flavour.CONTAINERD && !runtime.version().atLeast(2, 0);
        if (inPlace && ctx.spec().extras().hasUserDropIn()) {
            throw new InvalidSpecException("CONTAINERD_USER_DROP_IN_SOURCE_FILE (" + ctx.spec().extras().userDropInSource()
                    + ") needs containerd drop-in files, but " + runtime.toRuntimeVersion() + (flavour == Flavour.MICROK8S
                    ? " is configured through microk8s's template" : " (containerd 1.x) is configured by editing its main"
                    + " file, because an imported file would replace whole plugin sections") + ". Unset it and put the"
                    + " settings into the main config yourself, or upgrade to containerd 2.x.");
        }
        List<FileEdit> edits;
        switch (flavour) {
            case CONTAINERD:
                edits = runtime.version().atLeast(2, 0) ? containerd2(ctx)
                        : List.of(inPlace(ctx, ContainerdPaths.main(ctx.spec())));
                break;
            case MICROK8S:
                edits = List.of(inPlace(ctx, ContainerdPaths.MICROK8S_TEMPLATE));
                break;
            case K3S:
            case RKE2:
                edits = withUserDropIn(ctx, rancher(ctx, flavour));
                break;
            case K0S:
                edits = withUserDropIn(ctx, k0s(ctx));
                break;
            default:
                throw new AssertionError(flavour);
        }
        String criUnit = FlavourDetector.restartUnit(flavour, ctx.files());
        List<FileEdit> withNydus = new ArrayList<>(edits);
        withNydus.addAll(Nydus.edits(ctx, criUnit == null ? k0sUnit(ctx) : criUnit));
        edits = withStaleFilesReverted(ctx, withNydus);
        List<String> warnings = new ArrayList<>();
        for (FileEdit e : edits) {
            if (e.path().contains("/config.toml.d/")) {
                warnings.add(flavour.id() + " runs containerd " + runtime.version() + " with a version 2 config, and kdeploy"
                        + " registers Kata through " + e.path() + ". Upstream containerd 1.x lets an imported file replace"
                        + " the whole io.containerd.grpc.v1.cri section (measured with containerd 1.6.20), which would drop "
                        + flavour.id() + "'s own CRI settings (CNI directories, pause image, registry config). After the"
                        + " restart check them with '" + flavour.id() + " crictl info', or upgrade to a " + flavour.id()
                        + " release with containerd 2.x (config-v3.toml.d).");
            }
        }
        ConfigPlan plan = new ConfigPlan(edits, null, null, ctx.spec().handlers(), warnings).withoutNoops();
        return new ConfigPlan(plan.edits(), plan.isEmpty() ? null : FlavourDetector.restartUnit(flavour, ctx.files()),
                validation(ctx, flavour, true), plan.handlers(), plan.warnings());
    }

    /**
     * Puts every file this install recorded back to its baseline (deleting the files it created), while keeping what other
     * installs on the node still need in a shared file: their {@code imports} entries, containerd 1.x's explicit
     * {@code runc} runtime while other runtimes are listed, and {@code disable_snapshot_annotations = false} while a
     * handler uses a nydus proxy snapshotter. An import of a drop-in under this install's dest (an older kata-deploy's)
     * is not put back: cleanup removes the dest, and a dangling import stops containerd from starting.
     */
    @Override
    public ConfigPlan planRevert(PlanContext ctx) {
        Flavour flavour = requireContainerd(ctx.runtime());
        List<FileEdit> edits = new ArrayList<>();
        for (FileEdit e : ConfigPlan.revert(ctx, null, null).edits()) {
            edits.add(keepOthers(ctx, e));
        }
        ConfigPlan revert = new ConfigPlan(edits, null, null, List.of(), List.of()).withoutNoops();
        return new ConfigPlan(revert.edits(), revert.isEmpty() ? null : FlavourDetector.restartUnit(flavour, ctx.files()),
                validation(ctx, flavour, false), List.of(), revert.warnings());
    }

    /** A revert edit with what other installs still need in the file put back (see {@link #planRevert}). */
    private static FileEdit keepOthers(PlanContext ctx, FileEdit e) {
        Bytes after = e.after();
        Bytes before = e.before();
        if (after == null || before == null || !e.path().endsWith(".toml")) {
            return e;
        }
        TomlDocument doc = TomlDocument.parse(e.path(), after);
        ConfigVersion now = ConfigVersion.of(TomlDocument.parse(e.path(), before));
        ConfigVersion base = ConfigVersion.of(doc);
        List<TomlEdit> keep = new ArrayList<>();
        for (String entry : legacyImports(ctx.spec())) {
            if (base.imports().contains(entry)) {
                keep.add(new TomlEdit.RemoveFromArray(ConfigVersion.IMPORTS, TomlValues.string(entry)));
            }
        }
        for (String entry : now.imports()) {
            if (!base.imports().contains(entry) && !legacyImports(ctx.spec()).contains(entry)) {
                keep.add(new TomlEdit.AppendToArray(ConfigVersion.IMPORTS, TomlValues.string(entry)));
            }
        }
        int schema = base.schema();
        if (schema <= 2 && (e.path().equals(ContainerdPaths.main(ctx.spec()))
                || e.path().equals(ContainerdPaths.MICROK8S_TEMPLATE))) {
            Set<String> runtimes = doc.keys(RuntimeStanza.runtimesTable(schema));
            if (!runtimes.isEmpty()) {
                keep.addAll(keepDefaultRuntime(doc, schema));
            }
            for (String r : runtimes) {
                Object snap = doc.get(RuntimeStanza.runtimesTable(schema).child(r).child("snapshotter")).orElse("");
                if (snap instanceof String s && s.startsWith("nydus-for-kata-tee")) {
                    keep.add(new TomlEdit.SetValue(RuntimeStanza.containerdTable(schema).child("disable_snapshot_annotations"),
                            "false"));
                    break;
                }
            }
        }
        if (keep.isEmpty()) {
            return e;
        }
        TomlDocument kept = doc.applyAll(keep);
        return new FileEdit(e.path(), before, kept.bytes(), e.baseline(), e.mode(), List.of());
    }

    /**
     * Adds, for every file an earlier install of this instance touched that this plan no longer writes (containerd was
     * upgraded from 2.1 to 2.2 and the drop-in moved to conf.d, or the installation prefix changed), the edit that puts it
     * back to its baseline.
     */
    private static List<FileEdit> withStaleFilesReverted(PlanContext ctx, List<FileEdit> edits) {
        List<FileEdit> out = new ArrayList<>(edits);
        Set<String> planned = new LinkedHashSet<>();
        edits.forEach(e -> planned.add(e.path()));
        for (String path : new TreeSet<>(ctx.baselines().recordedPaths())) {
            if (!planned.contains(path)) {
                Bytes base = ctx.baseline(path);
                out.add(new FileEdit(path, ctx.current(path), base, base, FILE_MODE, List.of()));
            }
        }
        return out;
    }

    private static Flavour requireContainerd(RuntimeInfo runtime) {
        if (!runtime.flavour().isContainerd()) {
            throw new InvalidSpecException("The containerd configurer was asked to configure " + runtime.toRuntimeVersion()
                    + ". Use the crio configurer for CRI-O (--runtime crio).");
        }
        return runtime.flavour();
    }

    private static void checkSnapshotterSupport(DeploySpec spec, Version version) {
        if (version.atLeast(1, 7)) {
            return;
        }
        for (String shim : spec.shims()) {
            if (!spec.snapshotterFor(shim).isEmpty()) {
                throw new InvalidSpecException("SNAPSHOTTER_HANDLER_MAPPING maps shim '" + shim + "' to '"
                        + spec.snapshotterMapping().get(shim) + "', but this node runs containerd " + version
                        + ", and a per-handler snapshotter needs containerd 1.7 or newer. Remove the mapping or upgrade"
                        + " containerd.");
            }
        }
        for (io.kdeploy.core.CustomRuntime r : spec.extras().customRuntimes()) {
            if (!r.snapshotter().isEmpty()) {
                throw new InvalidSpecException("custom-runtimes.list gives handler '" + r.handler() + "' the snapshotter '"
                        + r.snapshotter() + "', but this node runs containerd " + version + ", and a per-handler"
                        + " snapshotter needs containerd 1.7 or newer. Leave the snapshotter field empty or upgrade"
                        + " containerd.");
            }
        }
    }

    /** containerd 1.x and microk8s: the handlers go into the file itself. */
    private static FileEdit inPlace(PlanContext ctx, String path) {
        Bytes base = ctx.baseline(path);
        TomlDocument doc;
        if (base != null) {
            doc = TomlDocument.parse(path, base);
        } else if (path.equals(ContainerdPaths.main(ctx.spec()))) {
            doc = TomlDocument.parse(path, "version = 2\n");
        } else {
            throw new InvalidSpecException(path + " does not exist, so microk8s would not pick up Kata's handlers. Check that"
                    + " microk8s is installed as a snap and that --host-root points at the node's root.");
        }
        int schema = ConfigVersion.of(doc).schema();
        List<TomlEdit> edits = new ArrayList<>(keepDefaultRuntime(doc, schema));
        edits.addAll(RuntimeStanza.edits(ctx.spec(), schema));
        return FileEdit.of(path, ctx.current(path), base, doc.applyAll(edits), FILE_MODE);
    }

    /**
     * containerd 1.x fills its runtimes map with {@code runc} only when the file names no runtime at all (measured with
     * Debian's 1.6.20: once a file lists only Kata's handlers, the CRI plugin fails to load with "no corresponding runtime
     * configured in containerd.runtimes for default_runtime_name runc"). When the default runtime is the built-in
     * {@code runc} and the file does not list it, it is listed explicitly, as containerd's own default has it.
     */
    private static List<TomlEdit> keepDefaultRuntime(TomlDocument doc, int schema) {
        if (schema >= 3) {
            return List.of();
        }
        Object name = doc.get(RuntimeStanza.containerdTable(schema).child("default_runtime_name")).orElse("runc");
        if (!"runc".equals(name) || doc.has(RuntimeStanza.runtimesTable(schema).child("runc"))) {
            return List.of();
        }
        return List.of(new TomlEdit.SetValue(RuntimeStanza.runtimesTable(schema).child("runc").child("runtime_type"),
                TomlValues.string("io.containerd.runc.v2")));
    }

    /** containerd 2.x: a drop-in, in conf.d when the main file imports it (2.2+), else under dest with an import. */
    private static List<FileEdit> containerd2(PlanContext ctx) {
        DeploySpec spec = ctx.spec();
        String main = ContainerdPaths.main(spec);
        Bytes mainBase = ctx.baseline(main);
        TomlDocument mainDoc = TomlDocument.parse(main, mainBase == null ? Bytes.utf8("version = 3\n") : mainBase);
        ConfigVersion mv = ConfigVersion.of(mainDoc);
        int schema = Math.min(mv.schema(), 3);
        String confD = ContainerdPaths.CONF_D + "/" + ContainerdPaths.dropInName(spec);
        List<FileEdit> out = new ArrayList<>();
        if (ctx.runtime().version().atLeast(2, 2) && mainBase != null && mv.imports(confD)) {
            out.addAll(withUserDropIn(ctx, dropIn(ctx, confD, schema)));
            List<TomlEdit> scrub = new ArrayList<>();
            for (String legacy : legacyImports(spec)) {
                if (mv.imports().contains(legacy)) {
                    scrub.add(new TomlEdit.RemoveFromArray(ConfigVersion.IMPORTS, TomlValues.string(legacy)));
                }
            }
            out.add(FileEdit.of(main, ctx.current(main), mainBase, mainDoc.applyAll(scrub), FILE_MODE));
        } else {
            String path = ContainerdPaths.destDropIn(spec);
            List<FileEdit> dropIns = withUserDropIn(ctx, dropIn(ctx, path, schema));
            out.addAll(dropIns);
            TomlDocument result = mainDoc;
            for (FileEdit d : dropIns) {
                result = result.apply(new TomlEdit.AppendToArray(ConfigVersion.IMPORTS, TomlValues.string(d.path())));
            }
            out.add(FileEdit.of(main, ctx.current(main), mainBase, result, FILE_MODE));
        }
        return out;
    }

    /**
     * Our drop-in followed, when {@code CONTAINERD_USER_DROP_IN_SOURCE_FILE} is given, by the user's drop-in copied beside
     * it as {@code zz-kata-deploy-user[-<suffix>].toml}, so that it sorts (and is merged) after ours and can override it.
     * Suffixed, unlike kata-deploy's, so one install's cleanup never deletes another's.
     *
     * @throws InvalidSpecException when the user's drop-in is not valid TOML
     */
    private static List<FileEdit> withUserDropIn(PlanContext ctx, FileEdit ours) {
        KataExtras extras = ctx.spec().extras();
        if (!extras.hasUserDropIn()) {
            return List.of(ours);
        }
        String dir = ours.path().substring(0, ours.path().lastIndexOf('/'));
        String path = dir + "/" + ContainerdPaths.userDropInName(ctx.spec());
        TomlDocument user;
        try {
            user = TomlDocument.parse(extras.userDropInSource(), extras.userDropIn());
        } catch (MalformedConfigException e) {
            throw new InvalidSpecException("CONTAINERD_USER_DROP_IN_SOURCE_FILE: " + e.getMessage() + " Fix the TOML in "
                    + extras.userDropInSource() + " (Helm: containerd.userDropIn); nothing was written.", e);
        }
        Bytes base = ctx.baseline(path);
        FileEdit copy = new FileEdit(path, ctx.current(path), user.bytes(), base, FILE_MODE, List.of());
        return List.of(ours, copy);
    }

    /** The unit that runs k0s's containerd (k0s is never restarted by kdeploy, but nydus still starts before it). */
    private static String k0sUnit(PlanContext ctx) {
        return ctx.files().exists(UnitActions.unitFile("k0scontroller")) ? "k0scontroller" : "k0sworker";
    }

    /**
     * The imports of files under this install's dest, which an older install may have left: kata-deploy's unsuffixed
     * names and ours, for our drop-in and the user's. Cleanup never puts them back (the dest goes with the artifacts).
     */
    private static Set<String> legacyImports(DeploySpec spec) {
        Set<String> out = new LinkedHashSet<>();
        String dir = ContainerdPaths.destDropInDir(spec);
        out.add(dir + "/kata-deploy.toml");
        out.add(ContainerdPaths.destDropIn(spec));
        out.add(dir + "/zz-kata-deploy-user.toml");
        out.add(dir + "/" + ContainerdPaths.userDropInName(spec));
        return out;
    }

    /** k3s and rke2: a drop-in in the directory the rendered config imports; the rendered config is never written. */
    private static FileEdit rancher(PlanContext ctx, Flavour flavour) {
        String rendered = ContainerdPaths.rancherRendered(flavour);
        Bytes content = ctx.current(rendered);
        if (content == null) {
            throw new InvalidSpecException(flavour.id() + " has not rendered its containerd config " + rendered + " yet."
                    + " Start " + flavour.id() + " once so that it writes the file, then run kdeploy again.");
        }
        ConfigVersion rv = ConfigVersion.of(rendered, content);
        int schema = rv.schema() >= 3 ? 3 : rv.schema() == 2 ? 2 : ctx.runtime().version().major() >= 2 ? 3 : 2;
        String dirName = schema >= 3 ? "config-v3.toml.d" : "config.toml.d";
        String dir = ContainerdPaths.rancherDir(flavour) + "/" + dirName;
        String path = dir + "/" + ContainerdPaths.dropInName(ctx.spec());
        if (!rv.imports(path)) {
            String tmpl = schema >= 3 ? "config-v3.toml.tmpl" : "config.toml.tmpl";
            throw new InvalidSpecException(flavour.id() + ": the rendered containerd config " + rendered + " does not import"
                    + " the drop-in directory '" + dirName + "' (imports: " + rv.imports() + "), so containerd would never read"
                    + " Kata's handlers. kdeploy does not edit the generated config nor freeze it into a template. Use a "
                    + flavour.id() + " release whose containerd template imports " + dirName + " (v1.33.5 and older do not),"
                    + " or add the line imports = [\"" + dir + "/*.toml\"] to " + ContainerdPaths.rancherDir(flavour) + "/"
                    + tmpl + " after {{ template \"base\" . }}, and restart " + flavour.id() + ".");
        }
        return dropIn(ctx, path, schema);
    }

    /** k0s: a drop-in k0s merges by itself; the schema follows k0s's containerd.toml. */
    private static FileEdit k0s(PlanContext ctx) {
        ConfigVersion kv = ConfigVersion.of(ContainerdPaths.K0S_CONFIG, ctx.current(ContainerdPaths.K0S_CONFIG));
        int schema = kv.present() ? Math.min(kv.schema(), 3) : ctx.runtime().version().major() >= 2 ? 3 : 2;
        return dropIn(ctx, ContainerdPaths.K0S_DROP_IN_DIR + "/" + ContainerdPaths.dropInName(ctx.spec()), schema);
    }

    /** A drop-in of this install: {@code version = <schema>} and the handlers, built on the file's baseline. */
    private static FileEdit dropIn(PlanContext ctx, String path, int schema) {
        Bytes base = ctx.baseline(path);
        List<TomlEdit> edits = new ArrayList<>();
        edits.add(new TomlEdit.SetValue(ConfigVersion.VERSION, TomlValues.integer(schema)));
        edits.addAll(RuntimeStanza.edits(ctx.spec(), schema));
        TomlDocument doc = TomlDocument.parse(path, base).applyAll(edits);
        return FileEdit.of(path, ctx.current(path), base, doc, FILE_MODE);
    }

    /** The unit the host's files show for this flavour ({@code k3s-agent}, {@code rke2-agent}, …), else its usual one. */
    @Override
    public Optional<String> runtimeUnit(RuntimeInfo runtime, NodeFiles files) {
        return Optional.ofNullable(FlavourDetector.restartUnit(runtime.flavour(), files));
    }

    /**
     * {@code containerd --config /etc/containerd/config.toml config dump} for plain containerd when a containerd binary is
     * on the host; none for the distributions (they bring their own containerd) and none when the main file will not exist.
     */
    private static @Nullable ValidationCommand validation(PlanContext ctx, Flavour flavour, boolean install) {
        if (flavour != Flavour.CONTAINERD) {
            return null;
        }
        String main = ContainerdPaths.main(ctx.spec());
        if (!install && ctx.baseline(main) == null) {
            return null;
        }
        return ContainerdPaths.containerdBinary(ctx.files())
                .map(bin -> new ValidationCommand(List.of(bin, "--config", main, "config", "dump")))
                .orElse(null);
    }
}
