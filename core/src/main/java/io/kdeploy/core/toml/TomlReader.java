package io.kdeploy.core.toml;

import io.kdeploy.core.toml.TomlScanner.Kind;
import io.kdeploy.core.toml.TomlScanner.Stmt;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A single-pass TOML 1.0 reader: it validates the whole text and gives, in one pass, its meaning in the model types
 * tomlj gives ({@code Map<String, Object>} tables in file order, {@code List<Object>} arrays, {@code String}, {@code Long},
 * {@code Double}, {@code Boolean}, {@code OffsetDateTime}, {@code LocalDateTime}, {@code LocalDate}, {@code LocalTime}) and
 * the statements with their offsets. It only ever accepts or refuses: tomlj stays the parser of record for the reason and
 * position of an error, and the test oracle.
 */
final class TomlReader {
    private static final String NL = System.lineSeparator();
    /** The start of the reason given when a header extends an inline table, which TOML 1.0 forbids and tomlj accepts. */
    static final String HEADER_IN_INLINE_TABLE = "a header extends an inline table";

    /** The text is not TOML 1.0 (or is TOML that kdeploy refuses: a header extending an inline table). */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        private final String reason;
        private final int at;

        Rejected(String message, int at) {
            super(message + " at offset " + at, null, false, false);
            this.reason = message;
            this.at = at;
        }

        /** Why the text was refused, without the offset. */
        String reason() {
            return reason;
        }

        /** The offset in the text where reading stopped. */
        int at() {
            return at;
        }
    }

    /** The meaning and the statements of a text. */
    record Result(Map<String, Object> model, List<Stmt> stmts) {}

    /** A table and how it came to be, which decides what may extend it later. */
    static final class Table extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
        static final byte IMPLICIT = 0;
        static final byte HEADER = 1;
        static final byte DOTTED = 2;
        static final byte INLINE = 3;
        static final byte ELEMENT = 4;
        static final byte ROOT = 5;

        byte kind;

        Table(byte kind) {
            super(8);
            this.kind = kind;
        }
    }

    /** An array of tables ({@code [[x]]}), which headers may extend, as opposed to an array value. */
    static final class TableArray extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }

    private final char[] s;
    private final int n;
    private int pos;
    private final List<Stmt> stmts;
    private final Table root = new Table(Table.ROOT);
    private final StringBuilder buf = new StringBuilder();
    private final ArrayList<String> keyBuf = new ArrayList<>();

    /**
     * Key names read before (by this or an earlier read), by a cheap hash of their text (four names per hash): configs name the same tables and
     * keys again and again, and a name read before is neither copied nor hashed again (its {@code String} caches its hash).
     * Shared without locks: a slot holds null or a {@link Name} (final fields, never changed), and a name
     * found is always compared first.
     */
    private static final Name[] NAMES = new Name[1024];
    private static final int WAYS = 4;

    /** A key name, its characters and the one-segment key of it (never changed). */
    private record Name(String string, char[] chars, List<String> key) {}

    /** The name {@link #name} gave last (a key of one segment made of it is taken from it). */
    private @Nullable Name lastName;

    /**
     * The characters of the text being read, one array per thread, kept between reads up to {@link #KEPT} characters: a
     * read copies whatever it keeps out of them (names, strings, numbers), so nothing refers to the array afterwards.
     * The array may be longer than the text and hold an earlier text's characters after it: every index is checked against
     * {@code n}, the text's length, never against the array's ({@code TomlReaderTest} reads a short text after a long one).
     */
    private static final ThreadLocal<char[]> CHARS = new ThreadLocal<>();
    private static final int KEPT = 1 << 16;

    private TomlReader(String text, List<Stmt> earlier) {
        char[] c = CHARS.get();
        if (c == null || c.length < text.length()) {
            c = new char[Math.max(text.length(), 8192)];
        } else {
            CHARS.set(null); // a read inside this one (there is none) would take its own
        }
        text.getChars(0, text.length(), c, 0);
        this.s = c;
        this.n = text.length();
        this.earlier = earlier;
        this.stmts = new ArrayList<>(earlier.isEmpty() ? text.length() / 24 + 16 : earlier.size() + 32);
    }

    /** Gives the characters back for the next read on this thread. */
    private void done() {
        if (s.length <= KEPT) {
            CHARS.set(s);
        }
    }

    /** Reads a whole document. */
    static Result read(String text) throws Rejected {
        TomlReader r = new TomlReader(text, List.of());
        try {
            r.document(0, 0, 0, 0);
        } finally {
            r.done();
        }
        return new Result(r.root, List.copyOf(r.stmts));
    }

    /**
     * Reads {@code text}, an edit of a text this reader read before (whose statements are {@code earlier}, and which was
     * {@code earlierLength} characters long), that starts with that text's first {@code same} characters and ends with its
     * last {@code sameEnd} characters. Gives exactly what {@link #read} gives (meaning, statements, or the refusal),
     * without reading the characters again of the statements that lie in those unchanged parts:
     * <ul>
     *   <li>reading a statement depends on the reader's state (the tables so far, the last header) and on the statement's
     *       own characters only, when it ends with a line break: every look ahead of the reader stops at that line break
     *       (no word or digit it looks for holds one, and a line break ends every string, comment and key before it) and
     *       none looks back before the statement's start. A statement of the unchanged end is followed by the same
     *       characters up to the end of both texts, so it needs no line break;</li>
     *   <li>so a statement that ends within the unchanged start, with a line break, and one that starts at the same place
     *       of the unchanged end, read as it was read before ({@link Stmt#value()}: the key, the header path, the value
     *       and their offsets) and only its meaning (the table it defines, the key it adds) is checked and applied again,
     *       in the order of the text, as {@link #read} checks and applies it. Values are shared with the earlier reading,
     *       and the reader changes none of them ({@code TomlDocument}'s comparison may put an equal value, in the same
     *       order, in the place of one it reads as equal; the meaning stays as read).</li>
     * </ul>
     * {@code TomlRereadPropertiesTest} compares both on generated, mutated and edited documents.
     */
    static Result reread(String text, List<Stmt> earlier, int earlierLength, int same, int sameEnd) throws Rejected {
        TomlReader r = new TomlReader(text, earlier);
        try {
            r.document(same, earlierLength, sameEnd, text.length() - earlierLength);
        } finally {
            r.done();
        }
        return new Result(r.root, List.copyOf(r.stmts));
    }

    // ---- statements ----

    /** The statements of the text an edit changed ({@link #reread}); empty when reading a text as it is. */
    private final List<Stmt> earlier;
    private Table table = root;
    private List<String> tablePath = List.of();
    private int tableHash = 1;
    private boolean inArray;

    /**
     * Reads the statements, taking those of {@link #earlier} that lie in the first {@code same} or the last {@code sameEnd}
     * characters of the earlier text ({@code earlierLength} long) as read, moved by {@code by} in the unchanged end.
     */
    private void document(int same, int earlierLength, int sameEnd, int by) throws Rejected {
        List<Stmt> e = earlier;
        int next = 0;
        while (next < e.size() && replayable(e.get(next)) && e.get(next).end() <= same && s[e.get(next).end() - 1] == '\n') {
            replay(e.get(next++), 0);
        }
        pos = next == 0 ? 0 : e.get(next - 1).end();
        int endStart = e.isEmpty() ? n + 1 : earlierLength - sameEnd + by; // where the unchanged end starts in this text
        while (pos < n) {
            if (pos >= endStart) {
                int at = find(e, next, pos - by);
                if (at >= 0 && replayable(e.get(at))) {
                    while (at < e.size() && replayable(e.get(at))) {
                        replay(e.get(at++), by);
                    }
                    pos = e.get(at - 1).end() + by;
                    endStart = n + 1; // read the rest, if any, character by character
                    continue;
                }
                next = at >= 0 ? at : -at - 1;
            }
            statement();
        }
    }

    /** True when {@code st} may be taken as read: this reader read it; a key/value with the value it means. */
    private static boolean replayable(Stmt st) {
        return st.read() && (st.kind() != Kind.KEYVAL || st.value() != null);
    }

    /** The index of the statement of {@code e} (from {@code from} on) that starts at {@code start}; else -(insertion point) - 1. */
    private static int find(List<Stmt> e, int from, int start) {
        int lo = from;
        int hi = e.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int st = e.get(mid).start();
            if (st < start) {
                lo = mid + 1;
            } else if (st > start) {
                hi = mid;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    /** Applies a statement read before, moved by {@code by} characters, as {@link #statement()} applies it. */
    private void replay(Stmt st, int by) throws Rejected {
        Kind k = st.kind();
        if (k == Kind.HEADER || k == Kind.ARRAY_HEADER) {
            List<String> path = st.table();
            boolean arr = k == Kind.ARRAY_HEADER;
            table = arr ? arrayTable(path, st.keyStart() + by) : headerTable(path, st.keyStart() + by);
            tablePath = path;
            tableHash = st.pathHash();
            inArray = arr;
        } else if (k == Kind.KEYVAL) {
            put(table, st.key(), st.value(), st.keyStart() + by);
        }
        stmts.add(st.moved(by, tablePath, tableHash, inArray));
    }

    /** Reads one statement at {@code pos}. */
    private void statement() throws Rejected {
        int start = pos;
        skipWs();
        char c = pos < n ? s[pos] : '\n';
        if (c == '\n' || c == '\r' || c == '#') {
            lineEnd();
            stmts.add(new Stmt(Kind.TRIVIA, start, pos, tablePath, tableHash, List.of(), -1, -1, inArray, -1, -1, null,
                    true));
        } else if (c == '[') {
            boolean arr = pos + 1 < n && s[pos + 1] == '[';
            pos += arr ? 2 : 1;
            skipWs();
            int ks = pos;
            List<String> path = headerKey();
            int ke = pos;
            expect(']');
            if (arr) {
                literal(']');
            }
            table = arr ? arrayTable(path, ks) : headerTable(path, ks);
            tablePath = path;
            tableHash = path.hashCode();
            inArray = arr;
            lineEnd();
            stmts.add(new Stmt(arr ? Kind.ARRAY_HEADER : Kind.HEADER, start, pos, path, tableHash, List.of(), -1, -1, arr,
                    ks, ke, null, true));
        } else {
            int ks = pos;
            List<String> k = key();
            int ke = pos;
            expect('=');
            skipWs();
            int vs = pos;
            Object v = value();
            int ve = pos;
            put(table, k, v, ks);
            lineEnd();
            stmts.add(new Stmt(Kind.KEYVAL, start, pos, tablePath, tableHash, k, vs, ve, inArray, ks, ke, v, true));
        }
    }

    /** After a statement: spaces, an optional comment, then a line break or the end. */
    private void lineEnd() throws Rejected {
        skipWs();
        if (pos < n && s[pos] == '#') {
            comment();
        }
        if (pos >= n) {
            return;
        }
        char c = s[pos];
        if (c == '\n') {
            pos++;
        } else if (c == '\r' && pos + 1 < n && s[pos + 1] == '\n') {
            pos += 2;
        } else {
            throw new Rejected("expected a line break", pos);
        }
    }

    private void comment() throws Rejected {
        pos++;
        while (pos < n) {
            char c = s[pos];
            if (c == '\n' || c == '\r') {
                return;
            }
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new Rejected("control character in a comment", pos);
            }
            pos++;
        }
    }

    private void expect(char c) throws Rejected {
        skipWs();
        if (pos >= n || s[pos] != c) {
            throw new Rejected("expected '" + c + "'", pos);
        }
        pos++;
    }

    private void skipWs() {
        char[] t = s;
        int p = pos;
        while (p < n) {
            char c = t[p];
            if (c != ' ' && c != '\t') {
                break;
            }
            p++;
        }
        pos = p;
    }

    // ---- tables ----

    private Table headerTable(List<String> path, int at) throws Rejected {
        Table t = parentOf(path, at);
        String leaf = path.get(path.size() - 1);
        Object cur = t.get(leaf);
        if (cur == null) {
            Table created = new Table(Table.HEADER);
            t.put(leaf, created);
            return created;
        }
        if (cur instanceof Table tt && tt.kind == Table.IMPLICIT) {
            tt.kind = Table.HEADER;
            return tt;
        }
        throw new Rejected("table defined twice or key already set", at);
    }

    private Table arrayTable(List<String> path, int at) throws Rejected {
        Table t = parentOf(path, at);
        String leaf = path.get(path.size() - 1);
        Object cur = t.get(leaf);
        TableArray a;
        if (cur == null) {
            a = new TableArray();
            t.put(leaf, a);
        } else if (cur instanceof TableArray ta) {
            a = ta;
        } else {
            throw new Rejected("not an array of tables", at);
        }
        Table element = new Table(Table.ELEMENT);
        a.add(element);
        return element;
    }

    /** The table a header's last segment goes into, creating implicit tables on the way. */
    private Table parentOf(List<String> path, int at) throws Rejected {
        Table t = root;
        for (int i = 0; i < path.size() - 1; i++) {
            String seg = path.get(i);
            Object cur = t.get(seg);
            if (cur == null) {
                Table created = new Table(Table.IMPLICIT);
                t.put(seg, created);
                t = created;
            } else if (cur instanceof Table tt) {
                if (tt.kind == Table.INLINE) {
                    throw new Rejected(HEADER_IN_INLINE_TABLE, at);
                }
                t = tt;
            } else if (cur instanceof TableArray ta) {
                t = (Table) ta.get(ta.size() - 1);
            } else {
                throw new Rejected("a header extends a value", at);
            }
        }
        return t;
    }

    /** Puts a (dotted) key's value into {@code table}, creating the dotted tables on the way. */
    private static void put(Table table, List<String> key, Object value, int at) throws Rejected {
        Table t = table;
        for (int i = 0; i < key.size() - 1; i++) {
            String seg = key.get(i);
            Object cur = t.get(seg);
            if (cur == null) {
                Table created = new Table(Table.DOTTED);
                t.put(seg, created);
                t = created;
            } else if (cur instanceof Table tt && (tt.kind == Table.DOTTED || tt.kind == Table.IMPLICIT)) {
                tt.kind = Table.DOTTED; // a table only headers implied is defined by the dotted key (as tomlj reads it)
                t = tt;
            } else {
                throw new Rejected("a dotted key extends a value or a table defined elsewhere", at);
            }
        }
        if (t.putIfAbsent(key.get(key.size() - 1), value) != null) {
            throw new Rejected("duplicate key", at);
        }
    }

    // ---- keys ----

    /**
     * Header paths read before (by this or an earlier read), by a cheap hash of their text (four per hash): a config names
     * the same long table paths again and again, and a path whose exact text was read before is neither split nor looked
     * up segment by segment again. Shared without locks like {@link #NAMES}.
     */
    private static final HeaderPath[] PATHS = new HeaderPath[256];

    /** The text of a header's dotted key (without the spaces after it) and its segments (never changed). */
    private record HeaderPath(char[] chars, List<String> path) {}

    /**
     * A header's dotted key, as {@link #key()} reads it. The text up to the first character that cannot continue an
     * unspaced dotted key of bare and simple quoted segments is looked up in {@link #PATHS}; a hit is only taken when no
     * further dot follows, so exactly the characters that gave that path before give it again.
     */
    private List<String> headerKey() throws Rejected {
        int st = pos;
        char[] t = s;
        int p = st;
        boolean quoted = false;
        while (p < n) {
            char c = t[p];
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted ? c == '\\' || c < 0x20 || c == 0x7f : c != '.' && !isBare(c)) {
                break;
            }
            p++;
        }
        int len = p - st;
        if (quoted || len == 0) {
            return key();
        }
        int h = ((len * 31 + t[st]) * 31 + t[p - 1]) * 31 + t[st + (len >> 1)];
        h = ((h * 31 + t[st + (len >> 2)]) * 31 + t[st + (3 * len >> 2)]) * 0x9E3779B1;
        int bucket = (h >>> 24) & ~(WAYS - 1);
        for (int i = bucket; i < bucket + WAYS; i++) {
            HeaderPath known = PATHS[i];
            if (known != null && known.chars().length == len && Arrays.equals(t, st, p, known.chars(), 0, len)) {
                pos = p;
                skipWs();
                if (pos < n && t[pos] == '.') {
                    pos = st;
                    return key();
                }
                return known.path();
            }
        }
        List<String> path = key();
        int end = pos;
        while (end > st && (t[end - 1] == ' ' || t[end - 1] == '\t')) {
            end--;
        }
        if (end == p) {
            int free = bucket + (h & (WAYS - 1));
            for (int i = bucket; i < bucket + WAYS; i++) {
                if (PATHS[i] == null) {
                    free = i;
                    break;
                }
            }
            PATHS[free] = new HeaderPath(Arrays.copyOfRange(t, st, p), path);
        }
        return path;
    }

    /** A dotted key; leaves {@code pos} after the spaces that follow it. */
    private List<String> key() throws Rejected {
        String first = keySegment();
        skipWs();
        if (pos >= n || s[pos] != '.') {
            Name last = lastName;
            return last != null && last.string() == first ? last.key() : List.of(first);
        }
        ArrayList<String> segs = keyBuf;
        segs.clear();
        segs.add(first);
        while (pos < n && s[pos] == '.') {
            pos++;
            skipWs();
            segs.add(keySegment());
            skipWs();
        }
        return List.copyOf(segs);
    }

    private String keySegment() throws Rejected {
        if (pos >= n) {
            throw new Rejected("expected a key", pos);
        }
        char c = s[pos];
        if (c == '"') {
            if (startsWith("\"\"\"", pos)) {
                throw new Rejected("a multi-line string cannot be a key", pos);
            }
            int st = pos + 1;
            for (int i = st; i < n; i++) {
                char q = s[i];
                if (q == '"') {
                    pos = i + 1;
                    return name(st, i);
                }
                if (q == '\\' || q < 0x20 && q != '\t' || q == 0x7f) {
                    break;
                }
            }
            return basicString();
        }
        if (c == '\'') {
            if (startsWith("'''", pos)) {
                throw new Rejected("a multi-line string cannot be a key", pos);
            }
            return literalString();
        }
        char[] t = s;
        int st = pos;
        int p = st;
        while (p < n && isBare(t[p])) {
            p++;
        }
        if (p == st) {
            throw new Rejected("expected a key", p);
        }
        pos = p;
        return name(st, p);
    }

    /** The text from {@code from} to {@code to}, as the same name read before when there is one. */
    private String name(int from, int to) {
        int len = to - from;
        if (len == 0) {
            return "";
        }
        int h = ((len * 31 + s[from]) * 31 + s[to - 1]) * 31 + s[from + (len >> 1)];
        h = (h * 31 + s[from + (len >> 2)]) * 0x9E3779B1;
        int bucket = (h >>> 22) & ~(WAYS - 1); // 1,024 slots, in buckets of four
        int free = -1;
        for (int i = bucket; i < bucket + WAYS; i++) {
            Name known = NAMES[i];
            if (known == null) {
                free = free < 0 ? i : free;
            } else if (known.chars().length == len && Arrays.equals(s, from, to, known.chars(), 0, len)) {
                lastName = known;
                return known.string();
            }
        }
        String string = new String(s, from, len);
        Name fresh = new Name(string, Arrays.copyOfRange(s, from, to), List.of(string));
        lastName = fresh;
        NAMES[free < 0 ? bucket + (h & (WAYS - 1)) : free] = fresh;
        return fresh.string();
    }

    /** True when {@code w} is at {@code at}. */
    private boolean startsWith(String w, int at) {
        if (at < 0 || at + w.length() > n) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if (s[at + i] != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The characters of bare keys below 64 ({@code -}, {@code 0-9}) as bits. */
    private static final long BARE_LOW = 1L << '-' | 0x3FFL << '0';
    /** The characters of bare keys from 64 to 127 ({@code A-Z}, {@code _}, {@code a-z}) as bits (shifted by 64). */
    private static final long BARE_HIGH = 0x3FFFFFFL << ('A' - 64) | 1L << ('_' - 64) | 0x3FFFFFFL << ('a' - 64);

    /** {@code A-Za-z0-9_-}: one bit test instead of five ranges. */
    private static boolean isBare(char c) {
        return c < 64 ? (BARE_LOW >>> c & 1) != 0 : c < 128 && (BARE_HIGH >>> c & 1) != 0; // a long shifts by c mod 64
    }

    // ---- values ----

    private Object value() throws Rejected {
        if (pos >= n) {
            throw new Rejected("expected a value", pos);
        }
        char c = s[pos];
        switch (c) {
            case '"':
                return startsWith("\"\"\"", pos) ? multiLineBasic() : basicString();
            case '\'':
                return startsWith("'''", pos) ? multiLineLiteral() : literalString();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'i':
                return word("inf", Double.POSITIVE_INFINITY);
            case 'n':
                return word("nan", Double.NaN);
            case '[':
                return array();
            case '{':
                return inlineTable();
            default:
                if (c >= '0' && c <= '9') {
                    if (pos + 4 < n && s[pos + 4] == '-' && digits(pos, 4)) {
                        return dateOrDateTime();
                    }
                    if (pos + 2 < n && s[pos + 2] == ':' && digits(pos, 2)) {
                        return time();
                    }
                }
                if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new Rejected("expected a value", pos);
        }
    }

    private Object word(String w, Object v) throws Rejected {
        if (!startsWith(w, pos)) {
            throw new Rejected("expected a value", pos);
        }
        pos += w.length();
        return v;
    }

    private Object array() throws Rejected {
        pos++;
        List<Object> out = new ArrayList<>();
        while (true) {
            skipWsCommentsNewlines();
            if (pos >= n) {
                throw new Rejected("unterminated array", pos);
            }
            if (s[pos] == ']') {
                pos++;
                return out;
            }
            out.add(value());
            skipWsCommentsNewlines();
            if (pos >= n) {
                throw new Rejected("unterminated array", pos);
            }
            char c = s[pos];
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return out;
            } else {
                throw new Rejected("expected ',' or ']'", pos);
            }
        }
    }

    private void skipWsCommentsNewlines() throws Rejected {
        while (pos < n) {
            char c = s[pos];
            if (c == ' ' || c == '\t' || c == '\n') {
                pos++;
            } else if (c == '\r' && pos + 1 < n && s[pos + 1] == '\n') {
                pos += 2;
            } else if (c == '#') {
                comment();
            } else {
                return;
            }
        }
    }

    private Object inlineTable() throws Rejected {
        pos++;
        Table t = new Table(Table.INLINE);
        skipWs();
        if (pos < n && s[pos] == '}') {
            pos++;
            return t;
        }
        while (true) {
            skipWs();
            int at = pos;
            List<String> k = key();
            expect('=');
            skipWs();
            Object v = value();
            put(t, k, v, at);
            skipWs();
            if (pos >= n) {
                throw new Rejected("unterminated inline table", pos);
            }
            char c = s[pos];
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return t;
            } else {
                throw new Rejected("expected ',' or '}'", pos);
            }
        }
    }

    // ---- strings ----

    private String basicString() throws Rejected {
        char[] t = s;
        int st = ++pos;
        int p = st;
        while (p < n) {
            char c = t[p];
            if (c == '"') {
                pos = p + 1;
                return new String(t, st, p - st);
            }
            if (c == '\\') {
                break;
            }
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new Rejected("control character in a string", p);
            }
            p++;
        }
        pos = p;
        StringBuilder b = buf;
        b.setLength(0);
        b.append(s, st, pos - st);
        while (pos < n) {
            char c = s[pos];
            if (c == '"') {
                pos++;
                return b.toString();
            }
            if (c == '\\') {
                escape(b);
            } else if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new Rejected("control character in a string", pos);
            } else {
                b.append(c);
                pos++;
            }
        }
        throw new Rejected("unterminated string", pos);
    }

    /** One escape sequence at {@code pos} (the backslash). */
    private void escape(StringBuilder b) throws Rejected {
        if (pos + 1 >= n) {
            throw new Rejected("unterminated escape", pos);
        }
        char e = s[pos + 1];
        pos += 2;
        switch (e) {
            case 'b' -> b.append('\b');
            case 't' -> b.append('\t');
            case 'n' -> b.append('\n');
            case 'f' -> b.append('\f');
            case 'r' -> b.append('\r');
            case '"' -> b.append('"');
            case '\\' -> b.append('\\');
            case 'u' -> b.appendCodePoint(unicode(4));
            case 'U' -> b.appendCodePoint(unicode(8));
            default -> throw new Rejected("invalid escape", pos - 2);
        }
    }

    private int unicode(int len) throws Rejected {
        if (pos + len > n) {
            throw new Rejected("short unicode escape", pos);
        }
        int v = 0;
        for (int i = 0; i < len; i++) {
            int d = Character.digit(s[pos + i], 16);
            if (d < 0) {
                throw new Rejected("invalid unicode escape", pos);
            }
            v = v * 16 + d;
        }
        if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            throw new Rejected("unicode escape is not a scalar value", pos);
        }
        pos += len;
        return v;
    }

    private String literalString() throws Rejected {
        int st = ++pos;
        while (pos < n) {
            char c = s[pos];
            if (c == '\'') {
                return new String(s, st, pos++ - st);
            }
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new Rejected("control character in a string", pos);
            }
            pos++;
        }
        throw new Rejected("unterminated string", pos);
    }

    private String multiLineBasic() throws Rejected {
        pos += 3;
        skipFirstNewline();
        StringBuilder b = buf;
        b.setLength(0);
        while (pos < n) {
            char c = s[pos];
            if (c == '"') {
                if (closesMultiLine('"', b)) {
                    return b.toString();
                }
            } else if (c == '\\') {
                int p = pos + 1;
                while (p < n && (s[p] == ' ' || s[p] == '\t')) {
                    p++;
                }
                if (p < n && (s[p] == '\n' || s[p] == '\r' && p + 1 < n && s[p + 1] == '\n')) {
                    pos = p;
                    while (pos < n) {
                        char w = s[pos];
                        if (w == ' ' || w == '\t' || w == '\n') {
                            pos++;
                        } else if (w == '\r' && pos + 1 < n && s[pos + 1] == '\n') {
                            pos += 2;
                        } else {
                            break;
                        }
                    }
                } else {
                    escape(b);
                }
            } else {
                multiLineChar(c, b);
            }
        }
        throw new Rejected("unterminated string", pos);
    }

    private String multiLineLiteral() throws Rejected {
        pos += 3;
        skipFirstNewline();
        StringBuilder b = buf;
        b.setLength(0);
        while (pos < n) {
            char c = s[pos];
            if (c != '\'') {
                multiLineChar(c, b);
            } else if (closesMultiLine('\'', b)) {
                return b.toString();
            }
        }
        throw new Rejected("unterminated string", pos);
    }

    private void skipFirstNewline() {
        if (pos < n && s[pos] == '\n') {
            pos++;
        } else if (pos + 1 < n && s[pos] == '\r' && s[pos + 1] == '\n') {
            pos += 2;
        }
    }

    /** A run of quotes at {@code pos}: three or more close the string (up to two more belong to it); fewer are content. */
    private boolean closesMultiLine(char q, StringBuilder b) {
        int run = 0;
        while (pos + run < n && s[pos + run] == q && run < 5) {
            run++;
        }
        if (run < 3) {
            for (int i = 0; i < run; i++) {
                b.append(q);
            }
            pos += run;
            return false;
        }
        for (int i = 3; i < run; i++) {
            b.append(q);
        }
        pos += run;
        return true;
    }

    private void multiLineChar(char c, StringBuilder b) throws Rejected {
        if (c == '\n') {
            b.append(NL);
            pos++;
        } else if (c == '\r' && pos + 1 < n && s[pos + 1] == '\n') {
            b.append(NL);
            pos += 2;
        } else if (c < 0x20 && c != '\t' || c == 0x7f) {
            throw new Rejected("control character in a string", pos);
        } else {
            b.append(c);
            pos++;
        }
    }

    // ---- numbers ----

    private Object number() throws Rejected {
        int st = pos;
        char c = s[pos];
        boolean signed = c == '+' || c == '-';
        if (signed) {
            pos++;
            if (startsWith("inf", pos)) {
                pos += 3;
                return c == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (startsWith("nan", pos)) {
                pos += 3;
                return Double.NaN;
            }
        }
        if (!signed && c == '0' && pos + 1 < n) {
            char r = s[pos + 1];
            if (r == 'x' || r == 'o' || r == 'b') {
                pos += 2;
                return radix(r == 'x' ? 16 : r == 'o' ? 8 : 2);
            }
        }
        int intStart = pos;
        digitsWithUnderscores();
        if (s[intStart] == '0' && pos - intStart > 1) {
            throw new Rejected("leading zero", intStart);
        }
        boolean isFloat = false;
        if (pos < n && s[pos] == '.') {
            pos++;
            digitsWithUnderscores();
            isFloat = true;
        }
        if (pos < n && (s[pos] == 'e' || s[pos] == 'E')) {
            pos++;
            if (pos < n && (s[pos] == '+' || s[pos] == '-')) {
                pos++;
            }
            digitsWithUnderscores();
            isFloat = true;
        }
        if (!isFloat && pos - intStart <= 18) { // digits only (maybe with underscores): no overflow, as Long.parseLong reads them
            long v = 0;
            for (int i = intStart; i < pos; i++) {
                if (s[i] != '_') {
                    v = v * 10 + (s[i] - '0');
                }
            }
            return c == '-' ? -v : v;
        }
        String lit = new String(s, st, pos - st);
        String plain = lit.indexOf('_') >= 0 ? lit.replace("_", "") : lit;
        try {
            if (!isFloat) {
                return Long.parseLong(plain);
            }
            double d = Double.parseDouble(plain);
            if (Double.isInfinite(d) || d == 0 && nonZeroMantissa(plain)) {
                throw new Rejected("float out of range", st); // as tomlj: "Float is too large" / "too small"
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Rejected("number out of range", st);
        }
    }

    private static boolean nonZeroMantissa(String plain) {
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == 'e' || c == 'E') {
                return false;
            }
            if (c >= '1' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    /** One or more digits, single underscores only between digits. */
    private void digitsWithUnderscores() throws Rejected {
        if (pos >= n || !isDigit(s[pos])) {
            throw new Rejected("expected a digit", pos);
        }
        pos++;
        while (pos < n) {
            char c = s[pos];
            if (isDigit(c)) {
                pos++;
            } else if (c == '_' && pos + 1 < n && isDigit(s[pos + 1])) {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private Object radix(int radix) throws Rejected {
        int st = pos;
        long v = 0;
        boolean lastDigit = false;
        while (pos < n) {
            char c = s[pos];
            int d = c < 0x80 ? Character.digit(c, radix) : -1;
            if (d >= 0) {
                try {
                    v = Math.addExact(Math.multiplyExact(v, radix), d);
                } catch (ArithmeticException e) {
                    throw new Rejected("integer out of range", st);
                }
                lastDigit = true;
                pos++;
            } else if (c == '_' && lastDigit && pos + 1 < n && Character.digit(s[pos + 1], radix) >= 0
                    && s[pos + 1] < 0x80) {
                lastDigit = false;
                pos++;
            } else {
                break;
            }
        }
        if (pos == st) {
            throw new Rejected("expected a digit", pos);
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private boolean digits(int from, int count) {
        if (from + count > n) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(s[i])) {
                return false;
            }
        }
        return true;
    }

    // ---- dates and times ----

    private int fixed(int count) throws Rejected {
        if (!digits(pos, count)) {
            throw new Rejected("expected " + count + " digits", pos);
        }
        int v = 0;
        for (int i = 0; i < count; i++) {
            v = v * 10 + (s[pos++] - '0');
        }
        return v;
    }

    private void literal(char c) throws Rejected {
        if (pos >= n || s[pos] != c) {
            throw new Rejected("expected '" + c + "'", pos);
        }
        pos++;
    }

    private Object dateOrDateTime() throws Rejected {
        int st = pos;
        int y = fixed(4);
        literal('-');
        int m = fixed(2);
        literal('-');
        int d = fixed(2);
        LocalDate date;
        try {
            date = LocalDate.of(y, m, d);
        } catch (DateTimeException e) {
            throw new Rejected("invalid date", st);
        }
        if (pos >= n) {
            return date;
        }
        char c = s[pos];
        boolean timeFollows = c == 'T' || c == 't' || (c == ' ' && pos + 1 < n && isDigit(s[pos + 1]));
        if (!timeFollows) {
            return date;
        }
        pos++;
        LocalDateTime local = LocalDateTime.of(date, time());
        if (pos < n && (s[pos] == 'Z' || s[pos] == 'z')) {
            pos++;
            return OffsetDateTime.of(local, ZoneOffset.UTC);
        }
        if (pos < n && (s[pos] == '+' || s[pos] == '-')) {
            int sign = s[pos++] == '-' ? -1 : 1;
            int oh = fixed(2);
            literal(':');
            int om = fixed(2);
            try {
                return OffsetDateTime.of(local, ZoneOffset.ofHoursMinutes(sign * oh, sign * om));
            } catch (DateTimeException e) {
                throw new Rejected("invalid offset", st);
            }
        }
        return local;
    }

    private LocalTime time() throws Rejected {
        int st = pos;
        int h = fixed(2);
        literal(':');
        int mi = fixed(2);
        literal(':');
        int se = fixed(2);
        int nanos = 0;
        if (pos < n && s[pos] == '.') {
            pos++;
            if (pos >= n || !isDigit(s[pos])) {
                throw new Rejected("expected a digit", pos);
            }
            int digits = 0;
            while (pos < n && isDigit(s[pos])) {
                if (++digits > 9) {
                    throw new Rejected("more than nine fraction digits", pos); // as tomlj: "Invalid nanoseconds"
                }
                nanos = nanos * 10 + (s[pos] - '0');
                pos++;
            }
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        try {
            return LocalTime.of(h, mi, se, nanos);
        } catch (DateTimeException e) {
            throw new Rejected("invalid time", st);
        }
    }
}
