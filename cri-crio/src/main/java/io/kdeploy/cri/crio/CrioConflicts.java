package io.kdeploy.cri.crio;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.RuntimeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds what in a node's CRI-O configuration fights the drop-ins of an install. Pure.
 *
 * <ul>
 *   <li>A handler of ours defined in another file: CRI-O keeps the whole table from the file it reads last. In a file that
 *       is not a Kata install's this is an error unless forced, then a warning saying which definition wins.
 *   <li>A drop-in read after ours whose {@code storage_option} turns {@code overlay.skip_mount_home} off. CRI-O merges
 *       {@code storage_option} lists across files (since 1.23, cri-o#5423), so only a contradicting entry overrides ours;
 *       before 1.23 a later list replaced ours, and an earlier list was replaced by ours.
 *   <li>With DEBUG, a drop-in read after the debug drop-in that sets a quieter {@code log_level}; without DEBUG,
 *       kata-deploy's leftover {@code 100-debug}.
 * </ul>
 * Another Kata install's drop-in ({@code 99-kata-deploy[-other]}) is not a conflict: its handlers have other names and its
 * storage option is ours.
 */
final class CrioConflicts {
    /** kata-deploy's unsuffixed debug drop-in, shared by all its installs. */
    private static final String KATA_DEPLOY_DEBUG = "100-debug";
    private static final Set<String> DEBUG_OR_MORE = Set.of("debug", "trace");
    private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");

    private CrioConflicts() {}

    /**
     * The warnings for the operator.
     *
     * @param files the node's configuration in CRI-O's reading order, without this install's own drop-ins
     * @throws InvalidSpecException when a file that is not a Kata install's defines one of our handlers and {@code force}
     *     is off
     */
    static List<String> check(List<CrioConfigFile> files, DeploySpec spec, RuntimeInfo runtime, boolean force) {
        String ours = CrioFiles.dropInName(spec);
        String oursPath = CrioFiles.inDropInDir(ours);
        String debug = CrioFiles.debugDropInName(spec);
        boolean replacingLists = runtime.version().major() > 0 && !runtime.version().atLeast(1, 23);
        List<String> handlers = spec.handlers();
        List<String> warnings = new ArrayList<>();
        List<String> collisions = new ArrayList<>();
        for (CrioConfigFile f : files) {
            boolean after = f.readAfter(ours);
            for (String h : f.handlers()) {
                if (!handlers.contains(h)) {
                    continue;
                }
                if (f.isKataInstallFile()) {
                    warnings.add(f.path() + " (another Kata install) also defines handler " + h + "; CRI-O uses the"
                            + " definition in " + (after ? f.path() : oursPath) + ", the file it reads last. Give the"
                            + " installs shim lists or MULTI_INSTALL_SUFFIX values whose handler names differ.");
                } else if (force) {
                    warnings.add(forcedCollision(f, h, oursPath, after));
                } else {
                    collisions.add(f.path() + " defines [crio.runtime.runtimes." + h + "]");
                }
            }
            if (!f.isKataInstallFile() && f.storageOptions() != null) {
                warnings.addAll(storageWarnings(f, oursPath, after, replacingLists));
            }
            if (spec.debug() && f.logLevel() != null && !DEBUG_OR_MORE.contains(f.logLevel()) && f.readAfter(debug)) {
                warnings.add(f.path() + " sets log_level = \"" + f.logLevel() + "\" and CRI-O reads it after "
                        + CrioFiles.inDropInDir(debug) + " (drop-ins are read in lexical order, where \"100-\" sorts"
                        + " before \"20-\"), so CRI-O will not log at debug level although DEBUG is on. Remove log_level"
                        + " there while debugging.");
            }
            if (!spec.debug() && KATA_DEPLOY_DEBUG.equals(f.dropInEntry()) && f.logLevel() != null) {
                warnings.add(f.path() + " sets log_level = \"" + f.logLevel() + "\"; it is kata-deploy's shared debug"
                        + " drop-in, which kdeploy neither writes nor removes, so CRI-O keeps that level although DEBUG is"
                        + " off. Delete it once no kata-deploy install on this node needs it.");
            }
        }
        if (!collisions.isEmpty()) {
            throw new InvalidSpecException("CRI-O handler name collision: " + String.join("; ", collisions) + ". kdeploy"
                    + " registers " + String.join(", ", handlers) + " in " + oursPath + ", and CRI-O keeps only the"
                    + " definition from the file it reads last. Remove those tables, set MULTI_INSTALL_SUFFIX so kdeploy's"
                    + " handlers get other names, or run with --force to install anyway.");
        }
        return List.copyOf(warnings);
    }

    private static String forcedCollision(CrioConfigFile f, String handler, String oursPath, boolean after) {
        String head = f.path() + " also defines handler " + handler + ", which kdeploy writes to " + oursPath
                + "; installing anyway (--force). CRI-O takes the whole table from the file it reads last: ";
        return after
                ? head + f.path() + ", so kdeploy's " + handler + " is NOT what CRI-O runs. Remove or rename the table"
                        + " there."
                : head + oursPath + ", so the " + handler + " settings in " + f.path() + " are ignored while kdeploy is"
                        + " installed.";
    }

    private static List<String> storageWarnings(CrioConfigFile f, String oursPath, boolean after, boolean replacingLists) {
        List<String> options = f.storageOptions();
        if (options == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        List<String> contradicting = options.stream().filter(CrioConflicts::turnsSkipMountHomeOff).toList();
        if (after && !contradicting.isEmpty()) {
            out.add(f.path() + " sets storage_option " + quoted(contradicting) + " and CRI-O reads it after " + oursPath
                    + ", so it overrides \"" + CrioDropIn.SKIP_MOUNT_HOME + "\" that Kata's handlers are configured with."
                    + " Remove that entry, or rename the file so it sorts before " + oursPath + ".");
        } else if (after && replacingLists && !options.contains(CrioDropIn.SKIP_MOUNT_HOME)) {
            out.add(f.path() + " sets storage_option and CRI-O reads it after " + oursPath + "; CRI-O before 1.23"
                    + " replaces the whole list, dropping \"" + CrioDropIn.SKIP_MOUNT_HOME + "\". Add that entry to the"
                    + " list there, or upgrade CRI-O.");
        } else if (!after && replacingLists && !List.of(CrioDropIn.SKIP_MOUNT_HOME).containsAll(options)) {
            out.add(f.path() + " sets storage_option " + quoted(options) + " and CRI-O reads it before " + oursPath
                    + "; CRI-O before 1.23 replaces the whole list, so these options are dropped while kdeploy is"
                    + " installed. Upgrade CRI-O, or move the options to /etc/containers/storage.conf.");
        }
        return out;
    }

    /** True for {@code [driver].skip_mount_home=<not true>} (containers/storage reads options in order; the last wins). */
    static boolean turnsSkipMountHomeOff(String option) {
        int eq = option.indexOf('=');
        if (eq < 0) {
            return false;
        }
        String key = option.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = option.substring(eq + 1).trim();
        return (key.equals("skip_mount_home") || key.endsWith(".skip_mount_home")) && !GO_TRUE.contains(value);
    }

    private static String quoted(List<String> options) {
        return options.stream().map(o -> "\"" + o + "\"").reduce((a, b) -> a + ", " + b).orElse("");
    }
}
