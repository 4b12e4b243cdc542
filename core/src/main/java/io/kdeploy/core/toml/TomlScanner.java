package io.kdeploy.core.toml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small scanner for TOML text that has already been accepted: it splits the text into line-level statements (headers,
 * key/value lines, trivia) with exact offsets, and finds the element spans of an array value. It never decides what is
 * valid; every edit made from its offsets is checked by a re-parse.
 */
final class TomlScanner {
    private final String s;
    private int pos;

    private TomlScanner(String s) {
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
     * One statement: whole lines from {@code start} (line start) to {@code end} (after the line break or at the end of text).
     *
     * @param table the table this statement lies in (for a header: its own path)
     * @param key for a key/value: its dotted key relative to {@code table}; else empty
     * @param inArrayTable true when the statement lies under an array-of-tables header
     * @param fullPath for a key/value: {@code table} and {@code key}; else {@code table}
     * @param pathHash the hash of {@code fullPath}, for quick lookups
     */
    record Stmt(
            Kind kind,
            int start,
            int end,
            List<String> table,
            List<String> key,
            int valueStart,
            int valueEnd,
            boolean inArrayTable,
            int keyStart,
            int keyEnd,
            List<String> fullPath,
            int pathHash) {

        Stmt(Kind kind, int start, int end, List<String> table, List<String> key, int valueStart, int valueEnd,
                boolean inArrayTable, int keyStart, int keyEnd, List<String> fullPath) {
            this(kind, start, end, table, key, valueStart, valueEnd, inArrayTable, keyStart, keyEnd, fullPath,
                    fullPath.hashCode());
        }

        static Stmt of(Kind kind, int start, int end, List<String> table, List<String> key, int valueStart, int valueEnd,
                boolean inArrayTable, int keyStart, int keyEnd) {
            return new Stmt(kind, start, end, table, key, valueStart, valueEnd, inArrayTable, keyStart, keyEnd,
                    full(kind, table, key));
        }

        private static List<String> full(Kind kind, List<String> table, List<String> key) {
            if (kind != Kind.KEYVAL) {
                return table;
            }
            List<String> p = new ArrayList<>(table.size() + key.size());
            p.addAll(table);
            p.addAll(key);
            return Collections.unmodifiableList(p);
        }

        /** This statement moved by {@code delta} characters. */
        Stmt shifted(int delta) {
            return new Stmt(kind, start + delta, end + delta, table, key, valueStart < 0 ? -1 : valueStart + delta,
                    valueEnd < 0 ? -1 : valueEnd + delta, inArrayTable, keyStart < 0 ? -1 : keyStart + delta,
                    keyEnd < 0 ? -1 : keyEnd + delta, fullPath, pathHash);
        }

        /** This (non-header) statement under another header. */
        Stmt under(List<String> newTable, boolean newInArray) {
            return of(kind, start, end, newTable, key, valueStart, valueEnd, newInArray, keyStart, keyEnd);
        }

        /** The indentation of the statement's first line. */
        String indent(String text) {
            int i = start;
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            return text.substring(start, i);
        }
    }

    /** One array element: its span and the offset just after its comma (-1 when none follows). */
    record Element(int start, int end, int commaEnd) {}

    /** The elements of an array value and the offset of its closing bracket. */
    record ArrayLayout(List<Element> elements, int close) {}

    static List<Stmt> scan(String text) {
        return new TomlScanner(text).statements();
    }

    static ArrayLayout array(String text, int open) {
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
     * The statements of {@code text}, which is the text {@code old} was scanned from with the characters from {@code from}
     * to {@code oldTo} replaced, so that all that followed moved by {@code delta}: only the statements around the change
     * are scanned again, the others are moved (and put under the header that now precedes them).
     */
    static List<Stmt> rescan(List<Stmt> old, String text, int from, int oldTo, int delta) {
        int lineStart = from == 0 ? 0 : text.lastIndexOf('\n', from - 1) + 1;
        int lo = 0;
        int hi = old.size();
        while (lo < hi) { // the first statement that ends after lineStart
            int mid = (lo + hi) >>> 1;
            if (old.get(mid).end() <= lineStart) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int i = lo;
        List<Stmt> out = new ArrayList<>(old.size() + 8);
        out.addAll(old.subList(0, i));
        List<String> table = List.of();
        boolean inArray = false;
        if (i > 0) {
            table = old.get(i - 1).table();
            inArray = old.get(i - 1).inArrayTable();
        }
        TomlScanner sc = new TomlScanner(text);
        sc.pos = i < old.size() ? old.get(i).start() : lineStart;
        int newTo = oldTo + delta;
        int j = i;
        while (sc.pos < text.length()) {
            if (sc.pos >= newTo) {
                int oldPos = sc.pos - delta;
                while (j < old.size() && old.get(j).start() < oldPos) {
                    j++;
                }
                if (j < old.size() && old.get(j).start() == oldPos) {
                    List<String> oldTable = j == 0 ? List.of() : old.get(j - 1).table();
                    boolean oldInArray = j > 0 && old.get(j - 1).inArrayTable();
                    boolean fixing = oldInArray != inArray || !oldTable.equals(table);
                    for (int k = j; k < old.size(); k++) {
                        Stmt o = old.get(k);
                        if (o.kind() == Kind.HEADER || o.kind() == Kind.ARRAY_HEADER) {
                            fixing = false;
                        }
                        Stmt moved = delta == 0 ? o : o.shifted(delta);
                        if (fixing) {
                            moved = moved.under(table, inArray);
                        }
                        out.add(moved);
                    }
                    return Collections.unmodifiableList(out);
                }
            }
            Stmt st = sc.statement(table, inArray);
            if (st.kind() == Kind.HEADER || st.kind() == Kind.ARRAY_HEADER) {
                table = st.table();
                inArray = st.inArrayTable();
            }
            out.add(st);
        }
        return List.copyOf(out);
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
            boolean arr = s.startsWith("[[", pos);
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
        int e = s.indexOf(c, from);
        if (e < 0) {
            throw new IndexOutOfBoundsException("unterminated literal string");
        }
        return e;
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
                segs.add(s.substring(pos + 1, e));
                pos = e + 1;
            } else {
                int st = pos;
                while (pos < s.length() && isBare(s.charAt(pos))) {
                    pos++;
                }
                segs.add(s.substring(st, pos));
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
                        b.appendCodePoint(Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    case 'U' -> {
                        b.appendCodePoint(Integer.parseInt(s.substring(pos, pos + 8), 16));
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

    /** Skips one value starting at {@code pos}. */
    private void value() {
        char c = peek();
        if (s.startsWith("\"\"\"", pos)) {
            multiline("\"\"\"", true);
        } else if (s.startsWith("'''", pos)) {
            multiline("'''", false);
        } else if (c == '"') {
            basicString();
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
            } else if (s.startsWith(delim, pos)) {
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
