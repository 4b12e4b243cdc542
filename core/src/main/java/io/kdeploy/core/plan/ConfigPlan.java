package io.kdeploy.core.plan;

import static java.util.Objects.requireNonNull;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import io.kdeploy.core.spi.PlanContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
            byte[] x = e.before() == null ? new byte[0] : e.before().array();
            byte[] y = e.after() == null ? new byte[0] : e.after().array();
            int cut = commonLinesEnd(x, y);
            int head = count(x, cut);
            int end = commonTailLength(x, y, cut);
            List<String> same = lines(x, x.length - end, x.length, List.of());
            List<String> aTail = lines(x, cut, x.length - end, same);
            Patch<String> patch = diff(aTail, lines(y, cut, y.length - end, same), head);
            List<String> a = new Lines(x, cut, head, aTail);
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
     * The Myers diff of two line lists that follow {@code head} lines the texts start with in common: the search would
     * follow that common start first anyway, so the patch is the same, found without splitting or walking those lines.
     */
    private static Patch<String> diff(List<String> aTail, List<String> bTail, int head) {
        Patch<String> rest = DiffUtils.diff(aTail, bTail);
        if (head == 0) {
            return rest;
        }
        Patch<String> out = new Patch<>(rest.getDeltas().size());
        for (AbstractDelta<String> d : rest.getDeltas()) {
            out.addDelta(d.withChunks(moved(d.getSource(), head), moved(d.getTarget(), head)));
        }
        return out;
    }

    private static Chunk<String> moved(Chunk<String> c, int by) {
        return new Chunk<>(c.getPosition() + by, c.getLines());
    }

    /** The end of the whole lines (line break included) both byte strings start with. */
    private static int commonLinesEnd(byte[] x, byte[] y) {
        int m = Arrays.mismatch(x, y);
        if (m < 0) {
            return x.length;
        }
        while (m > 0 && x[m - 1] != '\n') {
            m--;
        }
        return m;
    }

    /**
     * The length of the whole lines both byte strings end with, none of them before {@code cut} in either: they are split
     * once, and the two line lists share them (the diff compares them by identity first).
     */
    private static int commonTailLength(byte[] x, byte[] y, int cut) {
        int max = Math.min(x.length, y.length) - cut;
        int same = 0;
        while (same + 64 <= max && Arrays.equals(x, x.length - same - 64, x.length - same, y, y.length - same - 64,
                y.length - same)) {
            same += 64; // compared 64 bytes at a time, then byte by byte
        }
        while (same < max && x[x.length - 1 - same] == y[y.length - 1 - same]) {
            same++;
        }
        while (same > 0 && !(lineStart(x, x.length - same, cut) && lineStart(y, y.length - same, cut))) {
            same--;
        }
        return same;
    }

    /** True when byte {@code p} (at or after {@code cut}, a line start) starts a line. */
    private static boolean lineStart(byte[] b, int p, int cut) {
        return p == cut || b[p - 1] == '\n';
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /** The line breaks before {@code end}, eight bytes at a time. */
    private static int count(byte[] x, int end) {
        int c = 0;
        int i = 0;
        for (; i + 8 <= end; i += 8) {
            long v = (long) LONGS.get(x, i) ^ 0x0A0A0A0A0A0A0A0AL; // a line break is now a zero byte
            long nonZero = ((v & LOW7) + LOW7) | v; // top bit of each byte set unless the byte is zero (no carries)
            c += Long.bitCount(~nonZero & ~LOW7);
        }
        for (; i < end; i++) {
            c += x[i] == '\n' ? 1 : 0;
        }
        return c;
    }

    /**
     * The lines from byte {@code from} (a line start) to {@code to} (a line start or the end), without their line breaks
     * ({@code \r\n} or {@code \n}), followed by {@code rest}.
     */
    private static List<String> lines(byte[] x, int from, int to, List<String> rest) {
        String t = new String(x, from, to - from, StandardCharsets.UTF_8); // decoded once, split where breaks are
        List<String> out = new ArrayList<>(rest.size() + (to - from) / 24 + 4);
        int start = 0;
        while (true) {
            int lf = t.indexOf('\n', start);
            if (lf < 0) {
                if (start < t.length()) {
                    out.add(t.substring(start));
                }
                out.addAll(rest);
                return out;
            }
            out.add(t.substring(start, lf > start && t.charAt(lf - 1) == '\r' ? lf - 1 : lf));
            start = lf + 1;
        }
    }

    /** The line from {@code start} to the line break at {@code lf}, without a carriage return before it. */
    private static String line(byte[] x, int start, int lf) {
        int end = lf > start && x[lf - 1] == '\r' ? lf - 1 : lf;
        return new String(x, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * All lines of a text whose first {@code head} lines (up to byte {@code cut}) are split only when asked for (a unified
     * diff asks for the three before the first change), and the others given.
     */
    private static final class Lines extends AbstractList<String> {
        private final byte[] x;
        private final int cut;
        private final int head;
        private final List<String> tail;

        Lines(byte[] x, int cut, int head, List<String> tail) {
            this.x = x;
            this.cut = cut;
            this.head = head;
            this.tail = tail;
        }

        @Override
        public String get(int i) {
            if (i >= head) {
                return tail.get(i - head);
            }
            Objects.checkIndex(i, head);
            int lf = cut - 1; // the line break that ends line head - 1
            for (int k = head - 1; k > i; k--) {
                lf--;
                while (x[lf] != '\n') {
                    lf--;
                }
            }
            int start = lf;
            while (start > 0 && x[start - 1] != '\n') {
                start--;
            }
            return line(x, start, lf);
        }

        @Override
        public int size() {
            return head + tail.size();
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
