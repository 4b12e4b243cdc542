package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import io.kdeploy.core.spi.PlanContext;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a configurer wants done to a node's runtime configuration: file edits, the unit to restart when something changed,
 * the runtime's own validation command, the handlers it registers, and warnings the operator must see. A plan is a value:
 * comparable in tests and printable as a unified diff.
 *
 * <pre>{@code
 * ConfigPlan plan = configurator.plan(PlanContext.fresh(NodeFiles.of(files), spec, runtime));
 * assertThat(plan.toUnifiedDiff()).contains("+[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata-qemu]");
 * }</pre>
 */
public record ConfigPlan(
        List<FileEdit> edits,
        @Nullable String restartUnit,
        @Nullable ValidationCommand validation,
        List<String> handlers,
        List<String> warnings) {
    public ConfigPlan {
        edits = List.copyOf(requireNonNull(edits, "edits"));
        handlers = List.copyOf(requireNonNull(handlers, "handlers"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings"));
        TreeSet<String> seen = new TreeSet<>();
        for (FileEdit e : edits) {
            if (!seen.add(e.path())) {
                throw new IllegalArgumentException("a plan may edit each file once; twice: " + e.path());
            }
        }
    }

    /** True when no edit changes any bytes. */
    public boolean isEmpty() {
        return edits.stream().allMatch(FileEdit::isNoop);
    }

    /** The node paths whose bytes this plan changes, creates or deletes, in plan order. */
    public List<String> changedPaths() {
        return edits.stream().filter(e -> !e.isNoop()).map(FileEdit::path).toList();
    }

    /** This plan without the edits that change nothing. */
    public ConfigPlan withoutNoops() {
        return new ConfigPlan(edits.stream().filter(e -> !e.isNoop()).toList(), restartUnit, validation, handlers, warnings);
    }

    /**
     * The change as a unified diff with three lines of context ({@code --- a/etc/containerd/config.toml},
     * {@code +++ b/etc/containerd/config.toml}; {@code /dev/null} for a created or deleted file). Empty when nothing changes.
     */
    public String toUnifiedDiff() {
        StringBuilder out = new StringBuilder();
        for (FileEdit e : edits) {
            if (e.isNoop()) {
                continue;
            }
            List<String> a = lines(e.before());
            List<String> b = lines(e.after());
            Patch<String> patch = diff(a, b);
            String from = e.before() == null ? "/dev/null" : "a" + e.path();
            String to = e.after() == null ? "/dev/null" : "b" + e.path();
            List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(from, to, a, patch, 3);
            if (diff.isEmpty()) {
                diff = List.of("--- " + from, "+++ " + to, "@@ line breaks or byte order mark only @@");
            }
            for (String l : diff) {
                // an empty side is line 0, as GNU diff writes it
                out.append(l.startsWith("@@") ? l.replace(" -1,0 ", " -0,0 ").replace(" +1,0 ", " +0,0 ") : l).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The Myers diff of two line lists, run only on what follows the lines they start with in common: the search would
     * follow that common start first anyway, so the patch is the same, found without walking those lines again and again.
     */
    private static Patch<String> diff(List<String> a, List<String> b) {
        int head = 0;
        int common = Math.min(a.size(), b.size());
        while (head < common && a.get(head).equals(b.get(head))) {
            head++;
        }
        if (head == 0) {
            return DiffUtils.diff(a, b);
        }
        Patch<String> rest = DiffUtils.diff(a.subList(head, a.size()), b.subList(head, b.size()));
        Patch<String> out = new Patch<>(rest.getDeltas().size());
        for (AbstractDelta<String> d : rest.getDeltas()) {
            out.addDelta(d.withChunks(moved(d.getSource(), head), moved(d.getTarget(), head)));
        }
        return out;
    }

    private static Chunk<String> moved(Chunk<String> c, int by) {
        return new Chunk<>(c.getPosition() + by, c.getLines());
    }

    private static List<String> lines(@Nullable Bytes b) {
        if (b == null || b.size() == 0) {
            return List.of();
        }
        String s = b.asUtf8();
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int lf = s.indexOf('\n', from);
            if (lf < 0) {
                if (from < s.length()) {
                    out.add(s.substring(from));
                }
                return out;
            }
            out.add(s.substring(from, lf > from && s.charAt(lf - 1) == '\r' ? lf - 1 : lf));
            from = lf + 1;
        }
    }

    /**
     * The plan that takes an install out again: every path the context's baselines recorded goes back to its baseline
     * (deleted when the baseline is absent). Files created by the revert get mode {@code 0644}. Paths already at their
     * baseline stay in the plan as no-op edits, so the plan names every recorded file.
     */
    public static ConfigPlan revert(PlanContext ctx, @Nullable String restartUnit, @Nullable ValidationCommand validation) {
        List<FileEdit> edits = new ArrayList<>();
        for (String path : new TreeSet<>(ctx.baselines().recordedPaths())) {
            Bytes base = ctx.baseline(path);
            edits.add(new FileEdit(path, ctx.current(path), base, base, 0644, List.of()));
        }
        return new ConfigPlan(edits, restartUnit, validation, List.of(), List.of());
    }
}
