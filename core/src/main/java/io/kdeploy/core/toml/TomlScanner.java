package io.kdeploy.core.toml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A small scanner for TOML text that has already been accepted: it splits the text into line-level statements (headers,
 * key/value lines, trivia) with exact offsets, and finds the element spans of an array value. It never decides what is
 * valid; every edit made from its offsets is checked by a re-parse.
 */
final class TomlScanner {
    private final CharSequence s;
    private int pos;

    private TomlScanner(CharSequence s) {
        this.s = s;
    }

    /** The kind of one statement. */
    enum Kind {
        HEADER,
        ARRAY_HEADER,
        KEYVAL,
        TRIVIA
    }

    /**
     * The shift of an edit session's statements from {@link #first} to the end of its working list: moving them all after a
     * splice before them is one addition ({@link #rescan}), and a statement reads its offsets through it.
     */
    static final class Shift {
        /** The shift of the statements of documents: none, never changed. */
        static final Shift NONE = new Shift(Integer.MAX_VALUE);

        private int by;
        private int first;

        /** No shift yet, for a working list of {@code size} statements (none shares it). */
        Shift(int size) {
            this.first = size;
        }
    }

    /**
     * The indices of the header statements (tables and arrays of tables) in a list of statements, in order: lookups and
     * the placement of new headers walk only these (and the sections they need). An edit session keeps its own up to date
     * ({@link #rescan}).
     */
    static final class Headers {
        private int[] at;
        private int size;

        /** The headers of {@code stmts}. */
        Headers(List<Stmt> stmts) {
            at = new int[Math.max(8, stmts.size() / 4)];
            for (int i = 0; i < stmts.size(); i++) {
                if (isHeader(stmts.get(i))) {
                    add(i);
                }
            }
        }

        private void add(int i) {
            if (size == at.length) {
                at = Arrays.copyOf(at, size * 2);
            }
            at[size++] = i;
        }

        int size() {
            return size;
        }

        /** The index of the {@code k}th header. */
        int get(int k) {
            return at[k];
        }

        /** Statements {@code from} to {@code to} were replaced by {@code by}, which starts at {@code from}. */
        void replaced(int from, int to, List<Stmt> by) {
            int lo = 0;
            while (lo < size && at[lo] < from) {
                lo++;
            }
            int hi = lo;
            while (hi < size && at[hi] < to) {
                hi++;
            }
            int[] tail = Arrays.copyOfRange(at, hi, size);
            size = lo;
            for (int k = 0; k < by.size(); k++) {
                if (isHeader(by.get(k))) {
                    add(from + k);
                }
            }
            int moved = by.size() - (to - from);
            for (int t : tail) {
                add(t + moved);
            }
        }
    }

    static boolean isHeader(Stmt s) {
        return s.kind() == Kind.HEADER || s.kind() == Kind.ARRAY_HEADER;
    }

    /**
     * One statement: whole lines from {@code start} (line start) to {@code end} (after the line break or at the end of text).
     * The statements of a document are never changed; an edit session moves in place only its own statements: those it
     * scanned and the copies ({@link #copy()}) it makes of a document's statements when a splice first moves them. Its
     * statements after its last splice read their offsets through the {@link Shift} they share.
     */
    static final class Stmt {
        private final Kind kind;
        private int start;
        private int end;
        private List<String> table;
        private final List<String> key;
        private int valueStart;
        private int valueEnd;
        private boolean inArrayTable;
        private int keyStart;
        private int keyEnd;
        private int pathHash;
        private int pathSize;
        private @Nullable List<String> fullPath;
        /** True when only an edit session's working list holds this statement, which may then move it in place. */
        private boolean session;
        /** True when {@link TomlReader} read this statement (and the whole text it lies in): see {@link #value()}. */
        private final boolean read;
        private final @Nullable Object value;
        /** Added to the offsets above when read: the shift an edit session's statements after its last splice share. */
        private Shift pending = Shift.NONE;

        /**
         * A statement.
         *
         * @param table the table this statement lies in (for a header: its own path)
         * @param tableHash {@code table.hashCode()}, which the caller usually knows already
         * @param key for a key/value: its dotted key relative to {@code table}; else empty
         * @param inArrayTable true when the statement lies under an array-of-tables header
         * @param value for a key/value that {@link TomlReader} read: the value it means; else null
         * @param read true when {@link TomlReader} read the statement
         */
        Stmt(Kind kind, int start, int end, List<String> table, int tableHash, List<String> key, int valueStart,
                int valueEnd, boolean inArrayTable, int keyStart, int keyEnd, @Nullable Object value, boolean read) {
            this.kind = kind;
            this.start = start;
            this.end = end;
            this.table = table;
            this.key = key;
            this.valueStart = valueStart;
            this.valueEnd = valueEnd;
            this.inArrayTable = inArrayTable;
            this.keyStart = keyStart;
            this.keyEnd = keyEnd;
            this.pathHash = kind == Kind.KEYVAL ? extendHash(tableHash, key) : tableHash;
            this.pathSize = table.size() + key.size();
            this.value = value;
            this.read = read;
        }

        static Stmt of(Kind kind, int start, int end, List<String> table, List<String> key, int valueStart, int valueEnd,
                boolean inArrayTable, int keyStart, int keyEnd) {
            return new Stmt(kind, start, end, table, table.hashCode(), key, valueStart, valueEnd, inArrayTable, keyStart,
                    keyEnd, null, false);
        }

        /** The {@code List.hashCode()} of a list that starts with the elements hashed to {@code h}, then has {@code more}. */
        static int extendHash(int h, List<String> more) {
            for (int i = 0; i < more.size(); i++) {
                h = 31 * h + more.get(i).hashCode();
            }
            return h;
        }

        Kind kind() {
            return kind;
        }

        int start() {
            return start + pending.by;
        }

        int end() {
            return end + pending.by;
        }

        /** The table this statement lies in (for a header: its own path). */
        List<String> table() {
            return table;
        }

        /** For a key/value: its dotted key relative to {@link #table()}; else empty. */
        List<String> key() {
            return key;
        }

        /** For a key/value: the offset of its value; else -1. */
        int valueStart() {
            return kind == Kind.KEYVAL ? valueStart + pending.by : -1;
        }

        /** For a key/value: the offset after its value; else -1. */
        int valueEnd() {
            return kind == Kind.KEYVAL ? valueEnd + pending.by : -1;
        }

        boolean inArrayTable() {
            return inArrayTable;
        }

        /** For a key/value: the offset of its key; for a header: of its path; else -1. */
        int keyStart() {
            return kind == Kind.TRIVIA ? -1 : keyStart + pending.by;
        }

        /** For a key/value or a header: the offset after its key or path; else -1. */
        int keyEnd() {
            return kind == Kind.TRIVIA ? -1 : keyEnd + pending.by;
        }

        /**
         * True when {@link TomlReader} read this statement, as part of a text it accepted: then the statement's characters
         * alone mean {@link #value()} (see {@link TomlReader#reread}).
         */
        boolean read() {
            return read;
        }

        /** For a key/value that {@link TomlReader} read: the value it means (never changed); else null. */
        @Nullable Object value() {
            return value;
        }

        /**
         * This statement of a text read again {@code by} characters further on, in the table {@code table} (hashed to
         * {@code tableHash}, under an array-of-tables header when {@code inArray}); for a header, only moved.
         */
        Stmt moved(int by, List<String> table, int tableHash, boolean inArray) {
            boolean header = kind == Kind.HEADER || kind == Kind.ARRAY_HEADER;
            if (header || this.table == table && this.inArrayTable == inArray) {
                return by == 0 ? this : new Stmt(this, by, this.table, pathHash, inArrayTable);
            }
            return new Stmt(this, by, table, kind == Kind.KEYVAL ? extendHash(tableHash, key) : tableHash, inArray);
        }

        private Stmt(Stmt o, int by, List<String> table, int pathHash, boolean inArray) {
            this.kind = o.kind;
            this.start = o.start() + by;
            this.end = o.end() + by;
            this.table = table;
            this.key = o.key;
            this.valueStart = o.valueStart() < 0 ? -1 : o.valueStart() + by;
            this.valueEnd = o.valueEnd() < 0 ? -1 : o.valueEnd() + by;
            this.inArrayTable = inArray;
            this.keyStart = o.keyStart() < 0 ? -1 : o.keyStart() + by;
            this.keyEnd = o.keyEnd() < 0 ? -1 : o.keyEnd() + by;
            this.pathHash = pathHash;
            this.pathSize = table.size() + o.key.size();
            this.fullPath = table == o.table ? o.fullPath : null;
            this.value = o.value;
            this.read = o.read;
        }

        /** The hash of {@link #fullPath()}, for quick lookups. */
        int pathHash() {
            return pathHash;
        }

        /** The length of {@link #fullPath()}, without building it. */
        int pathSize() {
            return pathSize;
        }

        /** For a key/value: {@code table} and {@code key}; else {@code table}. */
        List<String> fullPath() {
            List<String> p = fullPath;
            if (p == null) {
                if (kind != Kind.KEYVAL) {
                    p = table;
                } else {
                    List<String> l = new ArrayList<>(table.size() + key.size());
                    l.addAll(table);
                    l.addAll(key);
                    p = Collections.unmodifiableList(l);
                }
                fullPath = p;
            }
            return p;
        }

        private Stmt(Stmt o) {
            this.kind = o.kind;
            this.start = o.start();
            this.end = o.end();
            this.table = o.table;
            this.key = o.key;
            this.valueStart = o.valueStart();
            this.valueEnd = o.valueEnd();
            this.inArrayTable = o.inArrayTable;
            this.keyStart = o.keyStart();
            this.keyEnd = o.keyEnd();
            this.pathHash = o.pathHash;
            this.pathSize = o.pathSize;
            this.fullPath = o.fullPath;
            this.session = true;
            this.value = o.value;
            this.read = o.read;
        }

        /** A copy that an edit session may move. */
        Stmt copy() {
            return new Stmt(this);
        }

        /** Makes this statement (of a working copy) share the pending shift {@code p}, staying where it is. */
        void pend(Shift p) {
            shift(pending.by - p.by);
            pending = p;
        }

        /** Moves this statement (of a working copy) by {@code delta} characters. */
        private void shift(int delta) {
            start += delta;
            end += delta;
            if (kind == Kind.KEYVAL) {
                valueStart += delta;
                valueEnd += delta;
            }
            if (kind != Kind.TRIVIA) {
                keyStart += delta;
                keyEnd += delta;
            }
        }

        /** Puts this (non-header) statement of a working copy under another header, whose path hashes to {@code h}. */
        void moveUnder(List<String> newTable, int h, boolean newInArray) {
            table = newTable;
            inArrayTable = newInArray;
            pathHash = kind == Kind.KEYVAL ? extendHash(h, key) : h;
            pathSize = newTable.size() + key.size();
            fullPath = null;
        }

        /** The indentation of the statement's first line. */
        String indent(CharSequence text) {
            int from = start();
            int i = from;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            return text.subSequence(from, i).toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stmt t && t.kind == kind && t.start() == start() && t.end() == end()
                    && t.valueStart() == valueStart() && t.valueEnd() == valueEnd() && t.inArrayTable == inArrayTable
                    && t.keyStart() == keyStart() && t.keyEnd() == keyEnd() && t.pathHash == pathHash
                    && t.table.equals(table) && t.key.equals(key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, start(), end(), pathHash);
        }

        @Override
        public String toString() {
            return "Stmt[" + kind + " " + start() + ".." + end() + " " + fullPath() + "]";
        }
    }

    /** One array element: its span and the offset just after its comma (-1 when none follows). */
    record Element(int start, int end, int commaEnd) {}

    /** The elements of an array value and the offset of its closing bracket. */
    record ArrayLayout(List<Element> elements, int close) {}

    static List<Stmt> scan(String text) {
        return new TomlScanner(text).statements();
    }

    static ArrayLayout array(CharSequence text, int open) {
        TomlScanner sc = new TomlScanner(text);
        sc.pos = open + 1;
        List<Element> out = new ArrayList<>();
        while (true) {
            sc.skipWsCommentsNewlines();
            sc.requireMore();
            if (sc.peek() == ']') {
                return new ArrayLayout(out, sc.pos);
            }
            int st = sc.pos;
            sc.value();
            int en = sc.pos;
            if (en == st) {
                throw new IndexOutOfBoundsException("no TOML value at offset " + st);
            }
            sc.skipWsCommentsNewlines();
            int comma = -1;
            if (sc.peek() == ',') {
                sc.pos++;
                comma = sc.pos;
            }
            out.add(new Element(st, en, comma));
        }
    }

    private List<Stmt> statements() {
        List<Stmt> out = new ArrayList<>();
        List<String> table = List.of();
        boolean inArray = false;
        while (pos < s.length()) {
            Stmt st = statement(table, inArray);
            if (st.kind() == Kind.HEADER || st.kind() == Kind.ARRAY_HEADER) {
                table = st.table();
                inArray = st.inArrayTable();
            }
            out.add(st);
        }
        return List.copyOf(out);
    }

    /**
     * Updates {@code work}, the statements (a working list) of a text whose characters from {@code from} to {@code oldTo}
     * were replaced so that all that followed moved by {@code delta}, to the statements of {@code text}: only the
     * statements around the change are scanned again; the others (and those put under the header that now precedes them)
     * are moved by {@code tail}, the shift the statements after the session's last splice share: the statements between
     * this splice and the last one join or leave it, and it grows by {@code delta}; {@code headers}, the session's index of
     * the headers among them, is updated likewise. A statement of a document (not yet
     * {@link Stmt#copy() copied} by the session) is copied the first time it moves, so documents' statements never change.
     */
    static void rescan(ArrayList<Stmt> work, CharSequence text, int from, int oldTo, int delta, Shift tail,
            Headers headers) {
        int lineStart = from;
        while (lineStart > 0 && text.charAt(lineStart - 1) != '\n') {
            lineStart--;
        }
        int lo = 0;
        int hi = work.size();
        while (lo < hi) { // the first statement that ends after lineStart
            int mid = (lo + hi) >>> 1;
            if (work.get(mid).end() <= lineStart) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int i = lo;
        List<String> table = List.of();
        boolean inArray = false;
        if (i > 0) {
            table = work.get(i - 1).table();
            inArray = work.get(i - 1).inArrayTable();
        }
        TomlScanner sc = new TomlScanner(text);
        sc.pos = i < work.size() ? work.get(i).start() : lineStart;
        int newTo = oldTo + delta;
        int j = i;
        List<Stmt> fresh = new ArrayList<>(4);
        while (sc.pos < text.length()) {
            if (sc.pos >= newTo) {
                int oldPos = sc.pos - delta;
                while (j < work.size() && work.get(j).start() < oldPos) {
                    j++;
                }
                if (j < work.size() && work.get(j).start() == oldPos) {
                    List<String> oldTable = j == 0 ? List.of() : work.get(j - 1).table();
                    boolean oldInArray = j > 0 && work.get(j - 1).inArrayTable();
                    boolean fixing = oldInArray != inArray || oldTable != table && !oldTable.equals(table);
                    int first = tail.first < i ? tail.first : Math.max(tail.first, j) - (j - i) + fresh.size();
                    replace(work, i, j, fresh);
                    headers.replaced(i, j, fresh);
                    moveTail(work, i + fresh.size(), first, tail);
                    tail.by += delta;
                    if (fixing) {
                        int tableHash = table.hashCode();
                        for (int k = i + fresh.size(); k < work.size(); k++) {
                            Stmt o = work.get(k);
                            if (o.kind() == Kind.HEADER || o.kind() == Kind.ARRAY_HEADER) {
                                break;
                            }
                            o.moveUnder(table, tableHash, inArray);
                        }
                    }
                    return;
                }
            }
            Stmt st = sc.statement(table, inArray);
            st.session = true;
            if (st.kind() == Kind.HEADER || st.kind() == Kind.ARRAY_HEADER) {
                table = st.table();
                inArray = st.inArrayTable();
            }
            fresh.add(st);
        }
        int first = tail.first < i ? tail.first : work.size();
        headers.replaced(i, work.size(), fresh);
        replace(work, i, work.size(), fresh);
        moveTail(work, work.size(), Math.min(first, work.size()), tail);
    }

    /**
     * Makes the statements from {@code after} to the end, and only those, share {@code tail}, which those from
     * {@code first} on share now: those before {@code after} leave it, those from {@code after} to {@code first} join it
     * (copied first when a document's).
     */
    private static void moveTail(ArrayList<Stmt> work, int after, int first, Shift tail) {
        for (int k = first; k < after; k++) {
            work.get(k).pend(Shift.NONE);
        }
        for (int k = after; k < Math.min(first, work.size()); k++) {
            Stmt o = work.get(k);
            if (!o.session) {
                o = o.copy();
                work.set(k, o);
            }
            o.pend(tail);
        }
        tail.first = after;
    }

    private static void replace(ArrayList<Stmt> work, int from, int to, List<Stmt> by) {
        int common = Math.min(to - from, by.size());
        for (int k = 0; k < common; k++) {
            work.set(from + k, by.get(k));
        }
        if (to - from > common) {
            work.subList(from + common, to).clear();
        } else if (by.size() > common) {
            work.addAll(from + common, by.subList(common, by.size()));
        }
    }

    private Stmt statement(List<String> table, boolean inArray) {
        int start = pos;
        skipWs();
        char c = peek();
        if (c == '\n' || c == '\r' || c == '#' || c == 0) {
            toLineEnd();
            return Stmt.of(Kind.TRIVIA, start, pos, table, List.of(), -1, -1, inArray, -1, -1);
        }
        if (c == '[') {
            boolean arr = startsWith("[[", pos);
            pos += arr ? 2 : 1;
            skipWs();
            int ks = pos;
            List<String> h = List.copyOf(key());
            int ke = pos;
            skipWs();
            pos += arr ? 2 : 1;
            toLineEnd();
            return Stmt.of(arr ? Kind.ARRAY_HEADER : Kind.HEADER, start, pos, h, List.of(), -1, -1, arr, ks, ke);
        }
        int ks = pos;
        List<String> k = key();
        int ke = pos;
        skipWs();
        pos++; // '='
        skipWs();
        int vs = pos;
        value();
        int ve = pos;
        toLineEnd();
        return Stmt.of(Kind.KEYVAL, start, pos, table, List.copyOf(k), vs, ve, inArray, ks, ke);
    }

    /** The text is not TOML that tomlj accepted (an unchecked splice): give up rather than loop. */
    private void requireMore() {
        if (pos >= s.length()) {
            throw new IndexOutOfBoundsException("unexpected end of TOML text");
        }
    }

    private int closing(char c, int from) {
        for (int e = from; e < s.length(); e++) {
            if (s.charAt(e) == c) {
                return e;
            }
        }
        throw new IndexOutOfBoundsException("unterminated literal string");
    }

    /** True when {@code w} is at {@code at}. */
    private boolean startsWith(String w, int at) {
        if (at < 0 || at + w.length() > s.length()) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if (s.charAt(at + i) != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : 0;
    }

    private void skipWs() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipWsCommentsNewlines() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** Skips the rest of the line (spaces, a comment) and its line break. */
    private void toLineEnd() {
        while (pos < s.length() && s.charAt(pos) != '\n') {
            pos++;
        }
        if (pos < s.length()) {
            pos++;
        }
    }

    private List<String> key() {
        List<String> segs = new ArrayList<>();
        while (true) {
            skipWs();
            char c = peek();
            if (c == '"') {
                segs.add(basicString());
            } else if (c == '\'') {
                int e = closing('\'', pos + 1);
                segs.add(s.subSequence(pos + 1, e).toString());
                pos = e + 1;
            } else {
                int st = pos;
                while (pos < s.length() && isBare(s.charAt(pos))) {
                    pos++;
                }
                segs.add(s.subSequence(st, pos).toString());
            }
            skipWs();
            if (peek() != '.') {
                return segs;
            }
            pos++;
        }
    }

    private static boolean isBare(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private String basicString() {
        StringBuilder b = new StringBuilder();
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                char e = s.charAt(pos++);
                switch (e) {
                    case 'b' -> b.append('\b');
                    case 't' -> b.append('\t');
                    case 'n' -> b.append('\n');
                    case 'f' -> b.append('\f');
                    case 'r' -> b.append('\r');
                    case 'u' -> {
                        b.appendCodePoint(Integer.parseInt(s.subSequence(pos, pos + 4).toString(), 16));
                        pos += 4;
                    }
                    case 'U' -> {
                        b.appendCodePoint(Integer.parseInt(s.subSequence(pos, pos + 8).toString(), 16));
                        pos += 8;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Skips a basic string at {@code pos} without building its value. */
    private void skipBasicString() {
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                pos++;
            }
        }
    }

    /** Skips one value starting at {@code pos}. */
    private void value() {
        char c = peek();
        if (startsWith("\"\"\"", pos)) {
            multiline("\"\"\"", true);
        } else if (startsWith("'''", pos)) {
            multiline("'''", false);
        } else if (c == '"') {
            skipBasicString();
        } else if (c == '\'') {
            pos = closing('\'', pos + 1) + 1;
        } else if (c == '[') {
            ArrayLayout a = array(s, pos);
            pos = a.close() + 1;
        } else if (c == '{') {
            pos++;
            while (true) {
                skipWs();
                requireMore();
                if (peek() == '}') {
                    pos++;
                    return;
                }
                int st = pos;
                key();
                skipWs();
                pos++; // '='
                skipWs();
                value();
                if (pos <= st + 1) {
                    throw new IndexOutOfBoundsException("no TOML key/value at offset " + st);
                }
                skipWs();
                if (peek() == ',') {
                    pos++;
                }
            }
        } else {
            int st = pos;
            while (pos < s.length() && " \t\r\n,]}#".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            boolean date = pos - st == 10 && s.charAt(st + 4) == '-';
            if (date && peek() == ' ' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                pos++;
                while (pos < s.length() && " \t\r\n,]}#".indexOf(s.charAt(pos)) < 0) {
                    pos++;
                }
            }
        }
    }

    private void multiline(String delim, boolean escapes) {
        pos += 3;
        while (pos < s.length()) {
            if (escapes && s.charAt(pos) == '\\') {
                pos += 2;
            } else if (startsWith(delim, pos)) {
                pos += 3;
                int extra = 0;
                while (extra < 2 && pos < s.length() && s.charAt(pos) == delim.charAt(0)) {
                    pos++;
                    extra++;
                }
                return;
            } else {
                pos++;
            }
        }
    }
}
