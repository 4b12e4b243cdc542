package io.kdeploy.core.toml;

import static io.kdeploy.core.toml.TomlScanner.isHeader;
import static java.util.Objects.requireNonNull;

import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.toml.TomlScanner.ArrayLayout;
import io.kdeploy.core.toml.TomlScanner.Element;
import io.kdeploy.core.toml.TomlScanner.Kind;
import io.kdeploy.core.toml.TomlScanner.Stmt;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, format-preserving TOML document. kdeploy's own TOML 1.0 reader checks the syntax and gives the meaning
 * (tomlj names the line, column and reason of an error); edits are splices of the text, and the spliced text is read
 * again and must mean exactly the old content plus the intended changes, otherwise the edit is refused with
 * {@link UnsupportedTomlEditException}. Every byte outside the lines an edit adds or
 * changes is kept, including a UTF-8 byte order mark and CRLF line breaks.
 *
 * <pre>{@code
 * TomlDocument doc = TomlDocument.parse("/etc/containerd/config.toml", bytes)
 *         .apply(new TomlEdit.SetValue(KeyPath.parse("plugins.cri.enabled"), "true"));
 * Bytes out = doc.bytes();
 * List<TomlEdit> undo = doc.undo();   // takes the edit out again, byte for byte
 * }</pre>
 */
public final class TomlDocument {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final int LITERAL_CACHE = 512;
    /** Parsed value literals (configurers use the same few again and again); values are copied out. */
    private static final Map<String, Object> LITERALS = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > LITERAL_CACHE;
        }
    };

    private static final int PARSE_CACHE = 16;
    /**
     * The meaning and statements of recently parsed or verified texts: one install parses the same file several times
     * (detection, baseline, the plan's result, the diff), and a verified edit result needs no parse at all.
     */
    private static final Parsed[] PARSED = new Parsed[PARSE_CACHE]; // most recently used first

    /**
     * A parsed text with a fingerprint that is cheap to compute (hashing a whole file costs as much as a tenth of
     * reading it): its semantic model (never mutated) and its statements; and the content it was decoded from, when
     * parsed from bytes (an install parses the same content object again, e.g. to compare it with a plan's result), with
     * whether that content starts with a byte order mark.
     */
    private record Parsed(String text, long fingerprint, Map<String, Object> model, List<Stmt> stmts,
            @Nullable Bytes source, boolean bom) {}

    /** The length and about a hundred characters spread over the text and at its end; equal texts, equal fingerprints. */
    private static long fingerprint(String text) {
        int n = text.length();
        long h = n;
        int step = Math.max(1, n / 64);
        for (int i = 0; i < n; i += step) {
            h = 31 * h + text.charAt(i);
        }
        for (int i = Math.max(0, n - 32); i < n; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    /** The remembered reading of {@code text}, moved to the front; null when none. */
    private static @Nullable Parsed known(String text, long fingerprint) {
        synchronized (PARSED) {
            for (int i = 0; i < PARSED.length; i++) {
                Parsed p = PARSED[i];
                if (p != null && p.fingerprint() == fingerprint && p.text().equals(text)) {
                    System.arraycopy(PARSED, 0, PARSED, 1, i);
                    PARSED[0] = p;
                    return p;
                }
            }
        }
        return null;
    }

    private final String nodePath;
    private final String text;
    /** The text edits are spliced at: {@link #text}, or the working buffer of an edit session's view. */
    private final CharSequence src;
    private final boolean bom;
    private final String newline;
    private final Map<String, Object> model;
    private final List<Stmt> stmts;
    private final List<TomlEdit> undo;
    /** The indices of the headers among {@link #stmts}: an edit session's, or built when first needed. */
    private volatile TomlScanner.@Nullable Headers headers;

    private TomlDocument(
            String nodePath, String text, boolean bom, Map<String, Object> model, List<Stmt> stmts, List<TomlEdit> undo) {
        this.nodePath = nodePath;
        this.text = text;
        this.src = text;
        this.bom = bom;
        int lf = text.indexOf('\n');
        this.newline = lf > 0 && text.charAt(lf - 1) == '\r' ? "\r\n" : "\n";
        this.model = model;
        this.stmts = stmts;
        this.undo = List.copyOf(undo);
    }

    /**
     * A view for one edit of an edit session: it splices at the session's working buffer, with the working model and
     * statements. Views never leave {@link #applyAllVerifiedOnce}; their {@link #text} is not the buffer's.
     */
    private TomlDocument(TomlDocument origin, StringBuilder buffer, Map<String, Object> model, List<Stmt> stmts,
            TomlScanner.Headers headers) {
        this.nodePath = origin.nodePath;
        this.text = origin.text;
        this.src = buffer;
        this.bom = origin.bom;
        this.newline = origin.newline; // edits write line breaks in this style, so the first one never changes style
        this.model = model;
        this.stmts = stmts;
        this.undo = List.of();
        this.headers = headers;
    }

    /**
     * Parses file content; {@code null} or empty content is an empty document.
     *
     * @throws MalformedConfigException with the parser's line, column and reason when the content is not valid TOML 1.0
     */
    public static TomlDocument parse(String nodePath, @Nullable Bytes content) {
        requireNonNull(nodePath, "nodePath");
        if (content == null) {
            return parse(nodePath, "");
        }
        Parsed same = knownSource(content);
        if (same != null) {
            return new TomlDocument(nodePath, same.text(), same.bom(), same.model(), same.stmts(), List.of());
        }
        String text = content.asUtf8(); // a byte order mark decodes to U+FEFF, which nothing else decodes to
        boolean bom = text.startsWith("\uFEFF");
        return parse(nodePath, bom ? text.substring(1) : text, bom, content);
    }

    /** The remembered reading of this very content object (bytes never change), moved to the front; null when none. */
    private static @Nullable Parsed knownSource(Bytes content) {
        synchronized (PARSED) {
            for (int i = 0; i < PARSED.length; i++) {
                Parsed p = PARSED[i];
                if (p != null && p.source() == content) {
                    System.arraycopy(PARSED, 0, PARSED, 1, i);
                    PARSED[0] = p;
                    return p;
                }
            }
        }
        return null;
    }

    /** Parses text (a leading byte order mark is kept for output). */
    public static TomlDocument parse(String nodePath, String text) {
        requireNonNull(nodePath, "nodePath");
        boolean bom = text.startsWith("\uFEFF");
        return parse(nodePath, bom ? text.substring(1) : text, bom, null);
    }

    private static TomlDocument parse(String nodePath, String text, boolean bom, @Nullable Bytes source) {
        long f = fingerprint(text);
        Parsed known = known(text, f);
        if (known != null) {
            return new TomlDocument(nodePath, text, bom, known.model(), known.stmts(), List.of());
        }
        TomlReader.Result r;
        try {
            r = TomlReader.read(text);
        } catch (TomlReader.Rejected rejected) {
            // tomlj, the parser of record, names the line, column and reason; should it accept the text, its meaning is used
            Map<String, Object> model = TomljOracle.parseOrThrow(nodePath, text, rejected);
            Log.LOG.log(System.Logger.Level.DEBUG, () -> nodePath + ": kdeploy's TOML reader refused what tomlj accepts ("
                    + rejected.getMessage() + "); using tomlj's reading");
            List<Stmt> stmts;
            try {
                stmts = TomlScanner.scan(text);
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                throw new MalformedConfigException(nodePath, 0, 0, "the file is valid TOML for tomlj but kdeploy's scanner"
                        + " cannot follow it (" + e.getMessage() + "); please report it with the file attached", e);
            }
            return remembered(new TomlDocument(nodePath, text, bom, model, stmts, List.of()), f, source);
        }
        return remembered(new TomlDocument(nodePath, text, bom, r.model(), r.stmts(), List.of()), f, source);
    }

    /** Keeps a parsed or verified document's meaning for the next parse of the same text. */
    private static TomlDocument remembered(TomlDocument d) {
        return remembered(d, fingerprint(d.text), null);
    }

    /** {@link #remembered(TomlDocument)}, given the text's fingerprint and the content it was decoded from (or null). */
    private static TomlDocument remembered(TomlDocument d, long f, @Nullable Bytes source) {
        if (known(d.text, f) == null) {
            synchronized (PARSED) {
                System.arraycopy(PARSED, 0, PARSED, 1, PARSED.length - 1);
                PARSED[0] = new Parsed(d.text, f, d.model, d.stmts, source, d.bom);
            }
        }
        return d;
    }

    /** The node path this document was read from (used in messages). */
    public String nodePath() {
        return nodePath;
    }

    /** The exact bytes: byte order mark and line breaks as the input had them. */
    public Bytes bytes() {
        if (!bom) {
            return Bytes.utf8(text);
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[body.length + 3];
        System.arraycopy(BOM, 0, out, 0, 3);
        System.arraycopy(body, 0, out, 3, body.length);
        return Bytes.of(out);
    }

    /** The text without a byte order mark. */
    public String text() {
        return text;
    }

    /** True when only whitespace and comments are left. */
    public boolean isBlank() {
        return stmts.stream().allMatch(s -> s.kind() == Kind.TRIVIA);
    }

    /**
     * The value at a path: {@code String}, {@code Long}, {@code Double}, {@code Boolean}, a {@code java.time} value,
     * an unmodifiable {@code List<Object>} for arrays or an unmodifiable {@code Map<String, Object>} for tables.
     */
    public Optional<Object> get(KeyPath path) {
        return Optional.ofNullable(lookup(model, path.segments())).map(TomlDocument::frozen);
    }

    /** True when the path names a value or a table. */
    public boolean has(KeyPath path) {
        return lookup(model, path.segments()) != null;
    }

    /** The names of a table's children, in file order; empty when the table is absent. */
    public Set<String> keys(KeyPath table) {
        Object t = lookup(model, table.segments());
        return t instanceof Map<?, ?> m ? Collections.unmodifiableSet(asMap(m).keySet()) : Set.of();
    }

    /** The names of the top-level keys and tables, in file order. */
    public Set<String> rootKeys() {
        return Collections.unmodifiableSet(model.keySet());
    }

    /**
     * True when both documents hold the same tables, keys and values, where arrays may list their elements in another order
     * (formatting, comments and order never count). A plan uses it to keep a file whose only difference from the wanted
     * result is where an array element sits, such as another install's {@code imports} entry appended after ours.
     */
    public boolean meansTheSameAs(TomlDocument other) {
        return sameIgnoringArrayOrder(model, other.model);
    }

    private static boolean sameIgnoringArrayOrder(@Nullable Object a, @Nullable Object b) {
        if (a == b) {
            return true; // models share what an edit did not change
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : ma.entrySet()) {
                Object other = mb.get(e.getKey());
                if (other == null || !sameIgnoringArrayOrder(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return false;
            }
            List<Object> rest = new ArrayList<>(lb);
            for (Object x : la) {
                int i = 0;
                while (i < rest.size() && !sameIgnoringArrayOrder(x, rest.get(i))) {
                    i++;
                }
                if (i == rest.size()) {
                    return false;
                }
                rest.remove(i);
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** The whole semantic content (tables as maps, arrays as lists), for comparisons in tests. */
    Map<String, Object> model() {
        return model;
    }

    /** The inverse edits that take every edit applied since parsing out again, in the order to apply them. */
    public List<TomlEdit> undo() {
        return undo;
    }

    /** This document with the undo history forgotten (the text is unchanged). */
    public TomlDocument withoutHistory() {
        return undo.isEmpty() ? this : new TomlDocument(nodePath, text, bom, model, stmts, List.of());
    }

    /**
     * Applies edits in order. All edits are spliced first and the result is read once, which must mean exactly the old
     * content plus every intended change; when it does not, the edits are applied and checked one by one, which names the
     * edit at fault.
     */
    public TomlDocument applyAll(List<? extends TomlEdit> edits) {
        if (edits.size() > 1) {
            TomlDocument fast = applyAllVerifiedOnce(edits);
            if (fast != null) {
                return fast;
            }
        }
        TomlDocument d = this;
        for (TomlEdit e : edits) {
            d = d.apply(e);
        }
        return d;
    }

    /**
     * Splices every edit, carrying the intended meaning along in one working copy of the model (only the tables and
     * arrays an edit changes are copied) and in one working copy of the statements (only those around a splice scanned
     * again; those after it moved by one shift they share), then reads only the final text, taking the statements of its
     * unchanged start and end as read ({@link TomlReader#reread}).
     * Null when an edit cannot be spliced or the result does not mean the intended content.
     */
    private @Nullable TomlDocument applyAllVerifiedOnce(List<? extends TomlEdit> edits) {
        Owned owned = new Owned();
        Map<String, Object> working = new LinkedHashMap<>(model);
        owned.add(working);
        StringBuilder buf = new StringBuilder(text.length() + 2048).append(text);
        ArrayList<Stmt> st = new ArrayList<>(stmts.size() + 64);
        st.addAll(stmts); // copied one by one when first moved
        TomlScanner.Shift tail = new TomlScanner.Shift(st.size());
        TomlScanner.Headers hs = new TomlScanner.Headers(st);
        List<TomlEdit> u = new ArrayList<>(undo);
        boolean changed = false;
        int same = text.length(); // the buffer starts with this many characters of the text and ends with sameEnd of them
        int sameEnd = text.length();
        try {
            for (TomlEdit e : edits) {
                TomlDocument d = new TomlDocument(this, buf, working, st, hs);
                if (d.changesNothing(requireNonNull(e, "edit"))) {
                    continue;
                }
                Splice sp = d.splice(e);
                d.intend(working, e, owned);
                same = Math.min(same, sp.from());
                sameEnd = Math.min(sameEnd, buf.length() - sp.oldTo());
                buf.replace(sp.from(), sp.oldTo(), sp.with());
                TomlScanner.rescan(st, buf, sp.from(), sp.oldTo(), sp.with().length() - (sp.oldTo() - sp.from()), tail,
                        hs);
                u.addAll(0, sp.inverse());
                changed = true;
            }
        } catch (UnsupportedTomlEditException | IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
        if (!changed) {
            return this;
        }
        String t = buf.toString();
        TomlReader.Result r;
        try {
            r = TomlReader.reread(t, stmts, text.length(), same, sameEnd);
        } catch (TomlReader.Rejected e) {
            return null;
        }
        return compare(r.model(), working, owned) != DIFFERENT
                ? remembered(new TomlDocument(nodePath, t, bom, r.model(), r.stmts(), u)) : null;
    }

    /**
     * The tables and arrays an edit made (copies it may change in place), by identity: a handful, compared one by one,
     * which needs no identity hash of the many that are not among them.
     */
    static final class Owned {
        private Object[] items = new Object[16];
        private int size;

        void add(Object o) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = o;
        }

        boolean contains(@Nullable Object o) {
            for (int i = 0; i < size; i++) {
                if (items[i] == o) {
                    return true;
                }
            }
            return false;
        }
    }

    static final int DIFFERENT = 0;
    /** Equal (as {@code equals} compares maps and lists), with the entries of some table in another order. */
    private static final int EQUAL = 1;
    /** Equal, with every table's entries in the same order: the one can stand for the other. */
    private static final int SAME_ORDER = 2;

    /**
     * Whether {@code got} (what a text was read to mean) equals {@code intended}, as {@code got.equals(intended)} decides;
     * on the way, each table or array of {@code got} that has exactly the entries of an unchanged one of {@code intended}
     * (not {@code owned}: shared with this document's model), in the same order, is replaced by that one. So the
     * meaning of an edit's result shares what the edit did not change with this document's, and comparing the two
     * ({@link #meansTheSameAs}) only walks what changed.
     */
    static int compare(@Nullable Object got, @Nullable Object intended, Owned owned) {
        if (got == intended) {
            return SAME_ORDER;
        }
        if (got instanceof Map<?, ?> gm && intended instanceof Map<?, ?> im) {
            if (gm.size() != im.size()) {
                return DIFFERENT;
            }
            Iterator<Map.Entry<String, Object>> gi = asMap(gm).entrySet().iterator();
            Iterator<Map.Entry<String, Object>> ii = asMap(im).entrySet().iterator();
            int result = SAME_ORDER;
            while (gi.hasNext()) {
                Map.Entry<String, Object> g = gi.next();
                Map.Entry<String, Object> i = ii.next();
                if (!g.getKey().equals(i.getKey())) {
                    return gm.equals(im) ? EQUAL : DIFFERENT;
                }
                Object iv = i.getValue();
                int c = compare(g.getValue(), iv, owned);
                if (c == DIFFERENT) {
                    return DIFFERENT;
                }
                if (c == SAME_ORDER && g.getValue() != iv && (iv instanceof Map || iv instanceof List) && !owned.contains(iv)) {
                    g.setValue(iv);
                }
                result = Math.min(result, c);
            }
            return result;
        }
        if (got instanceof List<?> gl && intended instanceof List<?> il) {
            if (gl.size() != il.size()) {
                return DIFFERENT;
            }
            int result = SAME_ORDER;
            for (int k = 0; k < gl.size(); k++) {
                int c = compare(gl.get(k), il.get(k), owned);
                if (c == DIFFERENT) {
                    return DIFFERENT;
                }
                result = Math.min(result, c);
            }
            return result;
        }
        return Objects.equals(got, intended) ? SAME_ORDER : DIFFERENT;
    }

    /**
     * True when the edit surely changes nothing; false when it would or might (the edit is then spliced and its intended
     * change computed, which refuses what cannot be done).
     */
    private boolean changesNothing(TomlEdit e) {
        List<String> p = e.path().segments();
        if (e instanceof TomlEdit.RemoveHeader) {
            return header(p) == null;
        }
        Object cur = lookup(model, p);
        if (e instanceof TomlEdit.EnsureTable) {
            return cur instanceof Map;
        }
        if (e instanceof TomlEdit.SetValue sv) {
            return cur != null && !(cur instanceof Map) && cur.equals(literal(sv.value()));
        }
        if (e instanceof TomlEdit.RemoveKey || e instanceof TomlEdit.RemoveTable) {
            Object t = model;
            for (String s : p.subList(0, p.size() - 1)) {
                if (!(t instanceof Map<?, ?> m)) {
                    return false;
                }
                t = m.get(s);
                if (t == null) {
                    return true;
                }
            }
            return t instanceof Map<?, ?> m && !m.containsKey(e.path().leaf());
        }
        if (e instanceof TomlEdit.AppendToArray a) {
            return cur instanceof List<?> l && l.contains(literal(a.element()));
        }
        if (e instanceof TomlEdit.RemoveFromArray ra) {
            return !(cur instanceof List<?> l) || !l.contains(literal(ra.element())) && !(l.isEmpty() && ra.dropWhenEmpty());
        }
        throw new AssertionError(e);
    }

    /**
     * Applies one edit and returns the new document; an edit that changes nothing returns this document.
     *
     * @throws UnsupportedTomlEditException when the edit cannot be spliced so that the result means exactly the intended
     *     change
     * @throws IllegalArgumentException when a value literal of the edit is not a TOML value
     */
    public TomlDocument apply(TomlEdit edit) {
        requireNonNull(edit, "edit");
        Map<String, Object> expected = expectedModel(edit);
        boolean headerOnly = edit instanceof TomlEdit.RemoveHeader;
        if (headerOnly ? header(edit.path().segments()) == null : expected.equals(model)) {
            return this;
        }
        Splice sp = splice(edit);
        List<TomlEdit> u = new ArrayList<>(sp.inverse);
        u.addAll(undo);
        String t = sp.applyTo(text);
        TomlReader.Result r;
        try {
            r = TomlReader.reread(t, stmts, text.length(), sp.from(), text.length() - sp.oldTo());
        } catch (TomlReader.Rejected e) {
            r = null;
        }
        Map<String, Object> got = r == null ? null : r.model();
        boolean removal = edit instanceof TomlEdit.RemoveKey || edit instanceof TomlEdit.RemoveTable || headerOnly;
        if (got == null || !got.equals(expected) && !(removal && equalsPruned(got, expected, edit.path()))) {
            throw unsupported(edit.path(), "the edited text would not mean exactly the intended change ("
                    + describe(edit) + ")");
        }
        return remembered(new TomlDocument(nodePath, t, bom, got, r.stmts(), u));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TomlDocument d && d.bom == bom && d.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "TomlDocument[" + nodePath + ", " + text.length() + " chars]";
    }

    // ---- the semantic change each edit intends ----

    /** The model this edit intends: a new root sharing every table and array the edit does not change. */
    private Map<String, Object> expectedModel(TomlEdit e) {
        Map<String, Object> m = new LinkedHashMap<>(model);
        Owned owned = new Owned();
        owned.add(m);
        intend(m, e, owned);
        return m;
    }

    /**
     * Changes {@code m} (this document's model or a working copy of it) as the edit intends. Tables and arrays in
     * {@code owned} are changed in place; any other on the edit's path is copied first, so models that share it keep it.
     */
    private void intend(Map<String, Object> m, TomlEdit e, Owned owned) {
        List<String> p = e.path().segments();
        List<String> parentPath = p.subList(0, p.size() - 1);
        Object cur = lookup(m, p);
        if (e instanceof TomlEdit.EnsureTable) {
            tableAt(m, p, e.path(), true, owned);
        } else if (e instanceof TomlEdit.SetValue sv) {
            if (cur instanceof Map) {
                throw unsupported(e.path(), "it is a table, not a value");
            }
            Object v = literal(sv.value());
            requireNonNull(tableAt(m, parentPath, e.path(), true, owned)).put(e.path().leaf(), v);
        } else if (e instanceof TomlEdit.RemoveKey || e instanceof TomlEdit.RemoveTable) {
            Map<String, Object> parent = tableAt(m, parentPath, e.path(), false, owned);
            if (parent != null) {
                parent.remove(e.path().leaf());
            }
        } else if (e instanceof TomlEdit.RemoveHeader) {
            Map<String, Object> t = tableAt(m, p, e.path(), false, owned);
            Stmt h = header(p);
            if (t != null && h != null) {
                int idx = indexOf(h);
                for (int i = idx + 1; i < stmts.size() && !isHeader(stmts.get(i)); i++) {
                    if (stmts.get(i).kind() == Kind.KEYVAL) {
                        t.remove(stmts.get(i).key().get(0));
                    }
                }
            }
        } else if (e instanceof TomlEdit.AppendToArray a) {
            Object el = literal(a.element());
            if (cur == null) {
                requireNonNull(tableAt(m, parentPath, e.path(), true, owned))
                        .put(e.path().leaf(), new ArrayList<>(List.of(el)));
            } else if (!(cur instanceof List)) {
                throw unsupported(e.path(), "it is not an array");
            } else if (!((List<?>) cur).contains(el)) {
                ownedList(m, e.path(), owned).add(el);
            }
        } else if (e instanceof TomlEdit.RemoveFromArray ra) {
            Object el = literal(ra.element());
            if (cur instanceof List<?> l && (l.contains(el) || l.isEmpty() && ra.dropWhenEmpty())) {
                List<Object> list = ownedList(m, e.path(), owned);
                list.removeIf(el::equals);
                if (list.isEmpty() && ra.dropWhenEmpty()) {
                    requireNonNull(tableAt(m, parentPath, e.path(), false, owned)).remove(e.path().leaf());
                }
            }
        } else {
            throw new AssertionError(e);
        }
    }

    /** The array at {@code path} (which holds one), made changeable in place. */
    private List<Object> ownedList(Map<String, Object> m, KeyPath path, Owned owned) {
        List<String> p = path.segments();
        Map<String, Object> parent = requireNonNull(tableAt(m, p.subList(0, p.size() - 1), path, false, owned));
        Object l = parent.get(path.leaf());
        if (owned.contains(l)) {
            return asList(l);
        }
        List<Object> copy = new ArrayList<>(asList(l));
        owned.add(copy);
        parent.put(path.leaf(), copy);
        return copy;
    }

    /**
     * True when {@code got} is {@code expected} with some of the now empty tables on the path of a removed key pruned, from
     * the deepest up: a table that only existed because the removed table's header implied it goes away with it.
     */
    private static boolean equalsPruned(Map<String, Object> got, Map<String, Object> expected, KeyPath removed) {
        Map<String, Object> m = deepCopy(expected);
        List<String> p = removed.segments();
        for (int n = p.size() - 1; n >= 1; n--) {
            Object t = lookup(m, p.subList(0, n));
            if (!(t instanceof Map<?, ?> tm) || !tm.isEmpty()) {
                return false;
            }
            Object parent = lookup(m, p.subList(0, n - 1));
            if (parent instanceof Map<?, ?> pm) {
                pm.remove(p.get(n - 1));
            }
            if (got.equals(m)) {
                return true;
            }
        }
        return false;
    }

    private @Nullable Map<String, Object> tableAt(
            Map<String, Object> root, List<String> path, KeyPath key, boolean create, Owned owned) {
        Map<String, Object> t = root;
        for (int i = 0; i < path.size(); i++) {
            String s = path.get(i);
            Object next = t.get(s);
            if (next == null) {
                if (!create) {
                    return null;
                }
                next = new LinkedHashMap<String, Object>();
                owned.add(next);
                t.put(s, next);
            }
            if (!(next instanceof Map<?, ?> nm)) {
                throw unsupported(key, "'" + s + "' on its path is a value or an array of tables, not a table");
            }
            if (!owned.contains(nm)) {
                Map<String, Object> copy = new LinkedHashMap<>(asMap(nm));
                owned.add(copy);
                t.put(s, copy);
                nm = copy;
            }
            t = asMap(nm);
        }
        return t;
    }

    // ---- text splices ----

    /** The span {@code [from, oldTo)} of the old text, what replaces it, and the inverse edits. */
    private record Splice(int from, int oldTo, String with, List<TomlEdit> inverse) {
        /** The spliced text. */
        String applyTo(String old) {
            return old.substring(0, from) + with + old.substring(oldTo);
        }
    }

    private Splice spliceAt(int at, String inserted, List<TomlEdit> inverse) {
        return new Splice(at, at, inserted, inverse);
    }

    /** A splice whose changed span is found by comparing the texts. */
    private Splice changed(String newText, List<TomlEdit> inverse) {
        int max = Math.min(src.length(), newText.length());
        int from = 0;
        while (from < max && src.charAt(from) == newText.charAt(from)) {
            from++;
        }
        int tail = 0;
        while (tail < max - from && src.charAt(src.length() - 1 - tail) == newText.charAt(newText.length() - 1 - tail)) {
            tail++;
        }
        return new Splice(from, src.length() - tail, newText.substring(from, newText.length() - tail), inverse);
    }

    private Splice splice(TomlEdit e) {
        List<String> p = e.path().segments();
        if (e instanceof TomlEdit.EnsureTable) {
            Placement pl = place(e.path(), p);
            int at = tableInsertionPoint(pl.after());
            return spliceAt(at, headerText(at, p, headerIndent(pl.after()), pl.spelling()),
                    List.of(new TomlEdit.RemoveTable(e.path())));
        } else if (e instanceof TomlEdit.SetValue sv) {
            return setValue(e.path(), sv.value());
        } else if (e instanceof TomlEdit.RemoveKey || e instanceof TomlEdit.RemoveTable) {
            return remove(e.path());
        } else if (e instanceof TomlEdit.RemoveHeader) {
            int idx = indexOf(requireNonNull(header(p)));
            int from = blankBefore(idx);
            int to = lastContent(idx).end();
            return new Splice(from, to, "", List.of(new TomlEdit.EnsureTable(e.path())));
        } else if (e instanceof TomlEdit.AppendToArray a) {
            if (lookup(model, p) == null) {
                Splice created = setValue(e.path(), "[" + a.element() + "]");
                TomlEdit removeKey = new TomlEdit.RemoveKey(e.path());
                return new Splice(created.from(), created.oldTo(), created.with(), created.inverse().stream()
                        .map(u -> u.equals(removeKey) ? new TomlEdit.RemoveFromArray(e.path(), a.element(), true) : u)
                        .toList());
            }
            return append(e.path(), a.element());
        } else if (e instanceof TomlEdit.RemoveFromArray ra) {
            if (ra.dropWhenEmpty() && lookup(model, p) instanceof List<?> l && !l.isEmpty()
                    && l.stream().allMatch(literal(ra.element())::equals)) {
                Splice removed = remove(e.path());
                return new Splice(removed.from(), removed.oldTo(), removed.with(),
                        List.of(new TomlEdit.AppendToArray(e.path(), ra.element())));
            }
            return removeFromArray(e.path(), ra.element());
        }
        throw new AssertionError(e);
    }

    private Splice setValue(KeyPath key, String value) {
        List<String> k = key.segments();
        List<String> parent = k.subList(0, k.size() - 1);
        Object pt = lookup(model, parent);
        Object cur = pt instanceof Map<?, ?> pm ? pm.get(key.leaf()) : null;
        Stmt kv = cur == null ? null : keyval(k); // a key the model lacks has no line
        if (kv != null) {
            String old = str(kv.valueStart(), kv.valueEnd());
            return new Splice(kv.valueStart(), kv.valueEnd(), value, List.of(new TomlEdit.SetValue(key, old)));
        }
        if (cur != null) {
            throw unsupported(key, "it is defined inside an inline table or an array of tables");
        }
        String leaf = KeyPath.of(key.leaf()).toString();
        List<TomlEdit> removeKey = List.of(new TomlEdit.RemoveKey(key));
        if (parent.isEmpty()) {
            int at = rootInsertionPoint();
            String line = (needsBreakBefore(at) ? newline : "") + leaf + " = " + value + newline;
            return spliceAt(at, line, removeKey);
        }
        int idx = pt == null ? -1 : headerIndex(parent);
        if (idx >= 0) {
            Stmt header = stmts.get(idx);
            Stmt last = lastContent(idx);
            String indent = last.kind() == Kind.KEYVAL ? last.indent(src) : childIndent(header.indent(src));
            return spliceAt(last.end(), (needsBreakBefore(last.end()) ? newline : "") + indent + leaf + " = "
                    + value + newline, removeKey);
        }
        if (pt != null) {
            Stmt dotted = null;
            for (Stmt s : stmts) {
                if (s.kind() == Kind.KEYVAL && !s.inArrayTable() && s.table().size() < parent.size()
                        && s.table().size() + s.key().size() > parent.size() && fullPathStartsWith(s, parent)) {
                    dotted = s;
                }
            }
            if (dotted != null) {
                String rel = new KeyPath(k.subList(dotted.table().size(), k.size())).toString();
                String line = (needsBreakBefore(dotted.end()) ? newline : "") + dotted.indent(src) + rel + " = " + value
                        + newline;
                return spliceAt(dotted.end(), line, removeKey);
            }
        }
        Placement pl = place(key, parent);
        int at = tableInsertionPoint(pl.after());
        String headerIndent = headerIndent(pl.after());
        String h = headerText(at, parent, headerIndent, pl.spelling());
        String indent = childIndent(headerIndent);
        KeyPath parentPath = new KeyPath(parent);
        return spliceAt(at, h + indent + leaf + " = " + value + newline,
                List.of(pt == null ? new TomlEdit.RemoveTable(parentPath) : new TomlEdit.RemoveHeader(parentPath)));
    }

    private Splice remove(KeyPath key) {
        List<String> k = key.segments();
        List<int[]> spans = new ArrayList<>();
        List<TomlEdit> inverse = new ArrayList<>();
        Stmt kv = keyval(k);
        if (kv != null) {
            spans.add(new int[] {kv.start(), kv.end()});
            inverse.add(new TomlEdit.SetValue(key, str(kv.valueStart(), kv.valueEnd())));
        } else {
            inverse.add(new TomlEdit.EnsureTable(key));
            for (int i = 0; i < stmts.size(); i++) {
                Stmt s = stmts.get(i);
                if (isHeader(s) && startsWith(s.table(), k)) {
                    spans.add(new int[] {blankBefore(commentsBefore(i)), lastContent(i).end()});
                    if (s.kind() == Kind.HEADER && s.table().size() > k.size()) {
                        inverse.add(new TomlEdit.EnsureTable(new KeyPath(s.table())));
                    }
                } else if (s.kind() == Kind.KEYVAL && fullPathStartsWith(s, k)) {
                    if (!startsWith(s.table(), k)) {
                        spans.add(new int[] {s.start(), s.end()});
                    }
                    if (!s.inArrayTable()) {
                        inverse.add(new TomlEdit.SetValue(new KeyPath(s.fullPath()),
                                str(s.valueStart(), s.valueEnd())));
                    }
                }
            }
        }
        StringBuilder b = new StringBuilder(src);
        spans.sort((x, y) -> Integer.compare(y[0], x[0]));
        int from = src.length();
        int to = 0;
        for (int[] sp : spans) {
            b.delete(sp[0], sp[1]);
            from = Math.min(from, sp[0]);
            to = Math.max(to, sp[1]);
        }
        return spans.isEmpty() ? new Splice(0, 0, "", inverse)
                : new Splice(from, to, b.substring(from, b.length() - (src.length() - to)), inverse);
    }

    private Splice append(KeyPath key, String element) {
        Stmt kv = keyval(key.segments());
        if (kv == null || src.charAt(kv.valueStart()) != '[') {
            throw unsupported(key, "the array is not written as `key = [ ... ]` on its own line");
        }
        ArrayLayout a = TomlScanner.array(src, kv.valueStart());
        List<TomlEdit> inverse = List.of(new TomlEdit.RemoveFromArray(key, element));
        if (a.elements().isEmpty()) {
            boolean multiLine = str(kv.valueStart(), a.close()).contains("\n");
            String el = multiLine ? newline + kv.indent(src) + "  " + element + "," : element;
            return spliceAt(kv.valueStart() + 1, el, inverse);
        }
        Element last = a.elements().get(a.elements().size() - 1);
        int afterLast = last.commaEnd() > 0 ? last.commaEnd() : last.end();
        int lineEnd = lineBreakFrom(afterLast);
        if (aloneOnLine(last) && lineEnd >= 0 && lineEnd < a.close()) {
            String indent = str(lineStart(last.start()), last.start());
            if (last.commaEnd() > 0) {
                return spliceAt(lineEnd + 1, indent + element + "," + newline, inverse);
            }
            return new Splice(last.end(), lineEnd + 1, "," + str(last.end(), lineEnd + 1) + indent + element + newline,
                    inverse);
        }
        return spliceAt(last.end(), ", " + element, inverse);
    }

    private Splice removeFromArray(KeyPath key, String element) {
        Object el = literal(element);
        Stmt kv = keyval(key.segments());
        if (kv == null || src.charAt(kv.valueStart()) != '[') {
            throw unsupported(key, "the array is not written as `key = [ ... ]` on its own line");
        }
        List<Object> values = asList(lookup(model, key.segments()));
        String t = src.toString();
        for (int i = values.size() - 1; i >= 0; i--) {
            if (!values.get(i).equals(el)) {
                continue;
            }
            List<Element> els = TomlScanner.array(t, kv.valueStart()).elements();
            Element e = els.get(i);
            TomlDocument view = new TomlDocument(nodePath, t, bom, model, stmts, List.of());
            int after = e.commaEnd() > 0 ? e.commaEnd() : e.end();
            int lineEnd = t.indexOf('\n', after);
            int close = TomlScanner.array(t, kv.valueStart()).close();
            if (view.aloneOnLine(e) && lineEnd >= 0 && lineEnd < close) {
                StringBuilder b = new StringBuilder(t);
                b.delete(view.lineStart(e.start()), lineEnd + 1);
                if (i == els.size() - 1 && e.commaEnd() < 0 && i > 0) {
                    b.deleteCharAt(els.get(i - 1).commaEnd() - 1);
                }
                t = b.toString();
            } else if (i > 0) {
                t = t.substring(0, els.get(i - 1).end()) + t.substring(e.end());
            } else if (els.size() > 1) {
                t = t.substring(0, e.start()) + t.substring(els.get(1).start());
            } else {
                t = t.substring(0, e.start()) + t.substring(after);
            }
        }
        return changed(t, List.of(new TomlEdit.AppendToArray(key, element)));
    }

    // ---- placement ----

    /**
     * Where a new header for {@code table} goes and how it is spelled.
     *
     * @param after the header it goes after (with the section that follows it): the last header of the longest proper
     *     prefix of {@code table} that has headers; -1 when none has
     * @param spelling the header of the longest prefix of {@code table} (or of {@code table} itself), whose spelling the
     *     new header copies; null when none
     */
    private record Placement(int after, @Nullable Stmt spelling) {}

    /**
     * Places a new header for {@code table} in one pass over the statements, refusing a table written as an inline value
     * (a header may not extend it: tomlj 1.1.1 would accept it, TOML 1.0 does not).
     */
    private Placement place(KeyPath key, List<String> table) {
        int[] prefixHash = new int[table.size() + 1];
        int h = 1;
        prefixHash[0] = h;
        for (int i = 0; i < table.size(); i++) {
            h = 31 * h + table.get(i).hashCode();
            prefixHash[i + 1] = h;
        }
        TomlScanner.Headers hs = headers();
        refuseInlinePrefix(key, table, prefixHash, 0, hs.size() == 0 ? stmts.size() : hs.get(0));
        int best = 0;
        int after = -1;
        Stmt spelling = null;
        String[] segs = table.toArray(new String[0]); // each replaced by the file's equal name once met: then compared by identity
        for (int k = 0; k < hs.size(); k++) {
            int i = hs.get(k);
            Stmt s = stmts.get(i);
            List<String> t = s.table();
            int m = Math.min(t.size(), segs.length);
            int common = 0;
            while (common < m) {
                String x = t.get(common);
                if (x != segs[common]) {
                    if (!same(x, segs[common])) {
                        break;
                    }
                    segs[common] = x;
                }
                common++;
            }
            int c = Math.min(common, table.size() - 1);
            if (c >= 1 && c >= best) {
                best = c;
                after = i;
            }
            if (common == t.size() && (spelling == null || common > spelling.table().size())) {
                spelling = s;
            }
            if (common == t.size() && common < table.size()) { // only a key of this section can be a prefix of table
                refuseInlinePrefix(key, table, prefixHash, i + 1, k + 1 < hs.size() ? hs.get(k + 1) : stmts.size());
            }
        }
        return new Placement(after, spelling);
    }

    /**
     * Refuses a new header for {@code table} (whose prefixes hash to {@code prefixHash}) when one of the statements from
     * {@code from} to {@code to} is a key whose full path is a prefix of it: a value or an inline table.
     */
    private void refuseInlinePrefix(KeyPath key, List<String> table, int[] prefixHash, int from, int to) {
        for (int i = from; i < to; i++) {
            Stmt s = stmts.get(i);
            if (s.kind() == Kind.KEYVAL) {
                int len = s.pathSize();
                if (len <= table.size() && s.pathHash() == prefixHash[len] && fullPathStartsWith(s, table.subList(0, len))) {
                    throw unsupported(key, "it lies inside the inline table " + new KeyPath(s.fullPath()) + " (line "
                            + lineOf(s.start()) + ")");
                }
            }
        }
    }

    /** The indices of the headers among the statements. */
    private TomlScanner.Headers headers() {
        TomlScanner.Headers h = headers;
        if (h == null) {
            h = new TomlScanner.Headers(stmts);
            headers = h;
        }
        return h;
    }

    /** Where a new header goes that {@link #place} placed after the header at {@code idx}. */
    private int tableInsertionPoint(int idx) {
        return idx < 0 ? src.length() : lastContent(idx).end();
    }

    /** The indentation of a new header that {@link #place} placed after the header at {@code idx}. */
    private String headerIndent(int idx) {
        return idx < 0 ? "" : stmts.get(idx).indent(src);
    }

    private String headerText(int at, List<String> table, String indent, @Nullable Stmt spelling) {
        String lead = (needsBreakBefore(at) ? newline : "") + (at == 0 ? "" : newline);
        return lead + indent + "[" + spell(table, spelling) + "]" + newline;
    }

    /** A table path spelled like the file spells {@code best}, the longest prefix it has a header for (quotes and all). */
    private String spell(List<String> table, @Nullable Stmt best) {
        if (best == null) {
            return new KeyPath(table).toString();
        }
        String prefix = str(best.keyStart(), best.keyEnd()).strip();
        if (best.table().size() == table.size()) {
            return prefix;
        }
        return prefix + "." + new KeyPath(table.subList(best.table().size(), table.size()));
    }

    private static String childIndent(String headerIndent) {
        return headerIndent.isEmpty() ? "" : headerIndent + "  ";
    }

    private int rootInsertionPoint() {
        int lastRoot = -1;
        int firstHeader = -1;
        for (int i = 0; i < stmts.size(); i++) {
            Stmt s = stmts.get(i);
            if (isHeader(s)) {
                firstHeader = i;
                break;
            }
            if (s.kind() == Kind.KEYVAL) {
                lastRoot = i;
            }
        }
        if (lastRoot >= 0) {
            return stmts.get(lastRoot).end();
        }
        if (firstHeader < 0) {
            return src.length();
        }
        return stmts.get(commentsBefore(firstHeader)).start();
    }

    /** The last statement of the section that starts at header index {@code idx} that is not trivia (or the header). */
    private Stmt lastContent(int idx) {
        Stmt last = stmts.get(idx);
        for (int i = idx + 1; i < stmts.size() && !isHeader(stmts.get(i)); i++) {
            if (stmts.get(i).kind() == Kind.KEYVAL) {
                last = stmts.get(i);
            }
        }
        return last;
    }

    /** The index of the first of the comment lines right above the statement at {@code idx} (or {@code idx}). */
    private int commentsBefore(int idx) {
        int i = idx;
        while (i > 0 && stmts.get(i - 1).kind() == Kind.TRIVIA && !isBlankLine(stmts.get(i - 1))) {
            i--;
        }
        return i;
    }

    /** The start of the statement at {@code idx}, moved back over one blank line before it. */
    private int blankBefore(int idx) {
        if (idx > 0 && isBlankLine(stmts.get(idx - 1))) {
            return stmts.get(idx - 1).start();
        }
        return stmts.get(idx).start();
    }

    private boolean needsBreakBefore(int at) {
        return at > 0 && at == src.length() && src.charAt(at - 1) != '\n';
    }

    private boolean aloneOnLine(Element e) {
        int ls = lineStart(e.start());
        for (int i = ls; i < e.start(); i++) {
            if (src.charAt(i) != ' ' && src.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    private int lineStart(int at) {
        int i = at - 1;
        while (i >= 0 && src.charAt(i) != '\n') {
            i--;
        }
        return i + 1;
    }

    private int lineOf(int at) {
        int line = 1;
        for (int i = 0; i < at && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The text from {@code from} to {@code to}. */
    private String str(int from, int to) {
        return src.subSequence(from, to).toString();
    }

    /** The first line break at or after {@code from}; -1 when none. */
    private int lineBreakFrom(int from) {
        for (int i = Math.max(0, from); i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private @Nullable Stmt keyval(List<String> path) {
        int h = path.hashCode();
        for (Stmt s : stmts) {
            if (s.pathHash() != h) {
                continue;
            }
            if (s.kind() == Kind.KEYVAL && !s.inArrayTable() && samePath(s.fullPath(), path)) {
                return s;
            }
        }
        return null;
    }

    private @Nullable Stmt header(List<String> path) {
        int i = headerIndex(path);
        return i < 0 ? null : stmts.get(i);
    }

    /** The index of the {@code [path]} header; -1 when none. */
    private int headerIndex(List<String> path) {
        int h = path.hashCode();
        TomlScanner.Headers hs = headers();
        for (int k = 0; k < hs.size(); k++) {
            Stmt s = stmts.get(hs.get(k));
            if (s.pathHash() == h && s.kind() == Kind.HEADER && samePath(s.table(), path)) {
                return hs.get(k);
            }
        }
        return -1;
    }

    /** Equal paths, compared from the last segment, where paths in one file differ most. */
    private static boolean samePath(List<String> a, List<String> b) {
        return a.size() == b.size() && startsWith(a, b);
    }

    /** The index of a statement of this document (by identity: statements of one document are distinct objects). */
    private int indexOf(Stmt s) {
        for (int i = 0; i < stmts.size(); i++) {
            if (stmts.get(i) == s) {
                return i;
            }
        }
        return -1;
    }

    private boolean isBlankLine(Stmt s) {
        if (s.kind() != Kind.TRIVIA) {
            return false;
        }
        for (int i = s.start(); i < s.end(); i++) {
            if (!Character.isWhitespace(src.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Equal segments; the hash (cached in each name) first, as most segments compared differ. */
    private static boolean same(String a, String b) {
        return a == b || a.hashCode() == b.hashCode() && a.equals(b);
    }

    /** True when a statement's full path (table, then key) starts with {@code prefix}, without building that path. */
    private static boolean fullPathStartsWith(Stmt s, List<String> prefix) {
        List<String> t = s.table();
        List<String> k = s.key();
        if (t.size() + k.size() < prefix.size()) {
            return false;
        }
        for (int i = prefix.size() - 1; i >= 0; i--) {
            String seg = i < t.size() ? t.get(i) : k.get(i - t.size());
            if (!same(seg, prefix.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        if (path.size() < prefix.size()) {
            return false;
        }
        for (int i = prefix.size() - 1; i >= 0; i--) {
            if (!path.get(i).equals(prefix.get(i))) {
                return false;
            }
        }
        return true;
    }

    private UnsupportedTomlEditException unsupported(KeyPath key, String reason) {
        Stmt kv = keyval(key.segments());
        return new UnsupportedTomlEditException(nodePath, key, kv == null ? 0 : lineOf(kv.start()), reason);
    }

    private static String describe(TomlEdit e) {
        return e.getClass().getSimpleName() + " " + e.path();
    }

    // ---- the semantic model ----

    /** The value a literal means, e.g. {@code "x"} to the string x. */
    static Object literal(String literal) {
        Object cached;
        synchronized (LITERALS) {
            cached = LITERALS.get(literal);
        }
        if (cached == null) {
            Map<String, Object> m;
            try {
                m = TomlReader.read("v = " + literal).model();
            } catch (TomlReader.Rejected e) {
                throw new IllegalArgumentException("not a TOML value literal: " + literal, e);
            }
            if (m.size() != 1 || !m.containsKey("v")) {
                throw new IllegalArgumentException("not a TOML value literal: " + literal);
            }
            cached = copy(m.get("v"));
            synchronized (LITERALS) {
                LITERALS.put(literal, cached);
            }
        }
        return copy(cached);
    }

    private static @Nullable Object lookup(Map<String, Object> root, List<String> path) {
        Object cur = root;
        for (int i = 0; i < path.size(); i++) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(path.get(i));
        }
        return cur;
    }

    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, copy(v)));
        return out;
    }

    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy(asMap(m));
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(copy(x)));
            return out;
        }
        return v;
    }

    private static Object frozen(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            asMap(m).forEach((k, x) -> out.put(k, frozen(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(TomlDocument::frozen).toList();
        }
        return v;
    }

    @SuppressWarnings("unchecked") // the model only ever holds Map<String, Object> for tables
    private static Map<String, Object> asMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked") // the model only ever holds List<Object> for arrays
    private static List<Object> asList(@Nullable Object l) {
        return (List<Object>) requireNonNull(l, "array");
    }

    /** The logger, created on first use: setting up logging is a start-up cost that a run logging nothing need not pay. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(TomlDocument.class.getName());
    }
}
