package io.kdeploy.core.toml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import io.kdeploy.core.toml.TomlScanner.Kind;
import io.kdeploy.core.toml.TomlScanner.Stmt;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The verification parse of edited text with jackson-dataformat-toml, about ten times faster than tomlj 1.1.1's ANTLR
 * parser. It only ever confirms: when it yields exactly the intended meaning (in tomlj's value types) and the text has no
 * dotted key that extends a table an explicit header defines (the one invalid construct jackson accepts and tomlj
 * refuses), the edit is verified; in every other case the caller verifies with tomlj as before.
 */
final class FastToml {
    private static final TomlMapper MAPPER = TomlMapper.builder().enable(TomlReadFeature.PARSE_JAVA_TIME).build();

    private FastToml() {}

    /** True when {@code text} (scanned into {@code stmts}) surely means exactly {@code expected}. */
    static boolean means(String text, List<Stmt> stmts, Map<String, Object> expected) {
        if (!noDottedKeyExtendsAHeaderTable(stmts)) {
            return false;
        }
        Map<String, Object> got = model(text);
        return got != null && got.equals(expected);
    }

    /** The meaning of {@code text} in the model's types, or null when jackson refuses it or a value has no such type. */
    static @Nullable Map<String, Object> model(String text) {
        try {
            Object m = plain(MAPPER.readTree(text));
            return m instanceof Map<?, ?> map ? asMap(map) : null;
        } catch (JacksonException | Unconvertible e) {
            return null;
        }
    }

    private static boolean noDottedKeyExtendsAHeaderTable(List<Stmt> stmts) {
        Set<List<String>> headers = new HashSet<>();
        for (Stmt s : stmts) {
            if (s.kind() == Kind.HEADER || s.kind() == Kind.ARRAY_HEADER) {
                headers.add(s.table());
            }
        }
        for (Stmt s : stmts) {
            if (s.kind() == Kind.KEYVAL && s.key().size() > 1) {
                List<String> p = new ArrayList<>(s.table());
                for (String seg : s.key().subList(0, s.key().size() - 1)) {
                    p.add(seg);
                    if (headers.contains(p)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** A value jackson gives that tomlj would give another way: the caller falls back to tomlj. */
    private static final class Unconvertible extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unconvertible() {
            super(null, null, false, false);
        }
    }

    private static Object plain(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        switch (t) {
            case OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    m.put(e.getKey(), plain(e.getValue()));
                }
                return m;
            }
            case ARRAY: {
                List<Object> l = new ArrayList<>(n.size());
                for (JsonNode x : n) {
                    l.add(plain(x));
                }
                return l;
            }
            case STRING:
                return n.textValue();
            case BOOLEAN:
                return n.booleanValue();
            case NUMBER:
                if (n.isIntegralNumber() && n.canConvertToLong()) {
                    return n.longValue();
                }
                if (n.isFloatingPointNumber()) {
                    return n.doubleValue(); // jackson reads TOML floats as BigDecimal; tomlj's Double is its rounding
                }
                throw new Unconvertible();
            case POJO:
                Object pojo = ((POJONode) n).getPojo();
                if (pojo instanceof Temporal) {
                    return pojo;
                }
                throw new Unconvertible();
            default:
                throw new Unconvertible();
        }
    }

    @SuppressWarnings("unchecked") // plain() builds only Map<String, Object> for tables
    private static Map<String, Object> asMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
