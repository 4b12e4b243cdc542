package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import io.kdeploy.core.spi.PlanContext;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
            Lines a = new Lines(e.before());
            Lines b = new Lines(e.after());
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
     * The Myers diff of two texts' lines, run only on what follows the lines they start with in common: the search would
     * follow that common start first anyway, so the patch is the same, found without walking those lines again and again
     * (and without cutting them out of the texts).
     */
    private static Patch<String> diff(Lines a, Lines b) {
        int head = 0;
        int common = Math.min(a.size(), b.size());
        while (head < common && a.sameLine(head, b)) {
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

    /**
     * The lines of a file (without their {@code \n} or {@code \r\n}; no last line when the file ends with a line break),
     * each cut out of the text when first asked for: a diff reads few of the lines two files share.
     */
    private static final class Lines extends AbstractList<String> {
        private final String text;
        private final int size;
        private final int[] starts;
        private final int[] ends; // before the line break
        private final @Nullable String[] cut;

        Lines(@Nullable Bytes b) {
            text = b == null ? "" : b.asUtf8();
            int[] st = new int[64];
            int[] en = new int[64];
            int n = 0;
            int from = 0;
            while (from < text.length()) {
                if (n == st.length) {
                    st = Arrays.copyOf(st, n * 2);
                    en = Arrays.copyOf(en, n * 2);
                }
                int lf = text.indexOf('\n', from);
                st[n] = from;
                if (lf < 0) {
                    en[n++] = text.length();
                    from = text.length();
                } else {
                    en[n++] = lf > from && text.charAt(lf - 1) == '\r' ? lf - 1 : lf;
                    from = lf + 1;
                }
            }
            size = n;
            starts = st;
            ends = en;
            cut = new String[n];
        }

        /** True when line {@code i} of this and of {@code o} are the same, compared in place. */
        boolean sameLine(int i, Lines o) {
            int len = ends[i] - starts[i];
            return len == o.ends[i] - o.starts[i] && text.regionMatches(starts[i], o.text, o.starts[i], len);
        }

        @Override
        public String get(int i) {
            Objects.checkIndex(i, size);
            String l = cut[i];
            if (l == null) {
                l = text.substring(starts[i], ends[i]);
                cut[i] = l;
            }
            return l;
        }

        @Override
        public int size() {
            return size;
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
