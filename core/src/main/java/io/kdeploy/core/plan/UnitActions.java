package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.spi.HostUnits;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The systemd unit operations a {@link ConfigPlan} implies, derived from its edits (a pure function, so dry runs can print
 * them): a unit file {@code /etc/systemd/system/<unit>.service} the plan deletes is stopped and disabled <em>before</em> the
 * plan is applied; one it creates or changes, or whose configuration (a file in a directory named like the unit) it
 * changes, is enabled and restarted <em>after</em>; a plan that touches a unit file reloads systemd after it is applied.
 * The CRI's own restart stays with {@link ConfigPlan#restartUnit()} and runs last.
 *
 * @param stopBefore units to {@code disable --now} before the plan's files are written
 * @param startAfter units to {@code enable} and {@code restart} after the files are written and systemd reloaded
 * @param reload whether {@code daemon-reload} runs after the files are written
 */
public record UnitActions(List<String> stopBefore, List<String> startAfter, boolean reload) {
    /** Nothing to do. */
    public static final UnitActions NONE = new UnitActions(List.of(), List.of(), false);

    /** Where kdeploy writes unit files, as a node path. */
    public static final String UNIT_DIR = "/etc/systemd/system";

    private static final Pattern UNIT_FILE = Pattern.compile(Pattern.quote(UNIT_DIR) + "/([A-Za-z0-9@_.:-]+)\\.service");

    public UnitActions {
        stopBefore = List.copyOf(requireNonNull(stopBefore, "stopBefore"));
        startAfter = List.copyOf(requireNonNull(startAfter, "startAfter"));
    }

    /** The node path of a unit's file: {@code /etc/systemd/system/<unit>.service}. */
    public static String unitFile(String unit) {
        return UNIT_DIR + "/" + unit + ".service";
    }

    /** The unit operations {@code plan} implies (see the type's description). */
    public static UnitActions of(ConfigPlan plan) {
        Set<String> stop = new LinkedHashSet<>();
        Set<String> start = new LinkedHashSet<>();
        Set<String> kept = new LinkedHashSet<>();
        boolean reload = false;
        for (FileEdit e : plan.edits()) {
            Matcher m = UNIT_FILE.matcher(e.path());
            if (!m.matches()) {
                continue;
            }
            reload = true;
            if (e.after() == null) {
                stop.add(m.group(1));
            } else {
                kept.add(m.group(1));
                if (!e.isNoop()) {
                    start.add(m.group(1));
                }
            }
        }
        for (FileEdit e : plan.edits()) {
            if (e.isNoop() || UNIT_FILE.matcher(e.path()).matches()) {
                continue;
            }
            for (String unit : kept) {
                if (e.path().contains("/" + unit + "/")) {
                    start.add(unit);
                }
            }
        }
        return new UnitActions(List.copyOf(stop), List.copyOf(start), reload);
    }

    /** True when there is nothing to do. */
    public boolean isEmpty() {
        return stopBefore.isEmpty() && startAfter.isEmpty() && !reload;
    }

    /** Stops and disables {@link #stopBefore()}; call before applying the plan. */
    public void runBefore(HostUnits units) {
        stopBefore.forEach(units::disableNow);
    }

    /** Reloads systemd (when needed) and enables and restarts {@link #startAfter()}; call after applying the plan. */
    public void runAfter(HostUnits units) {
        if (reload) {
            units.daemonReload();
        }
        startAfter.forEach(units::enableAndRestart);
    }
}
