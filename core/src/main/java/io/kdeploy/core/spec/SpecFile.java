package io.kdeploy.core.spec;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.InvalidSpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The deployment spec's YAML file (YAML 1.2 core schema, read with snakeyaml-engine's node API). Keys are the camelCase
 * names of {@link SpecKey}; a string value is read exactly like the environment variable, lists and mappings are the
 * structured forms. Unknown keys, wrong types, duplicate keys and malformed YAML are errors of the form
 * {@code file:line:column: key: message}. A key without a value (YAML null) or with an empty string is unset.
 */
public final class SpecFile {
    /** No file: sets nothing. */
    public static final SpecFile NONE = new SpecFile("", new Layer());

    private final String name;
    private final Layer layer;

    private SpecFile(String name, Layer layer) {
        this.name = name;
        this.layer = layer;
    }

    /**
     * Reads and binds a YAML file (UTF-8).
     *
     * @throws InvalidSpecException when the file cannot be read or is not a valid spec
     */
    public static SpecFile read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSpecException("Config file " + path + " cannot be read (" + e + "). Check the --config path"
                    + " and that the file is readable UTF-8 text.", e);
        }
        return parse(path.toString(), text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    /**
     * Parses and binds YAML text; {@code name} (usually the path) prefixes error messages.
     *
     * @throws InvalidSpecException when the text is not a valid spec
     */
    public static SpecFile parse(String name, String text) {
        requireNonNull(name, "name");
        LoadSettings settings = LoadSettings.builder().setLabel(name).setSchema(new CoreSchema()).setUseMarks(true)
                .setAllowNonScalarKeys(true).build();
        Optional<Node> root;
        try {
            root = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text))).getSingleNode();
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String where = mark.map(m -> name + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(name);
            String context = e.getContext() == null ? "" : e.getContext() + ", ";
            throw new InvalidSpecException(where + ": malformed YAML: " + context + sentence(e.getProblem())
                    + " Fix the YAML syntax at that position.", e);
        } catch (YamlEngineException e) {
            throw new InvalidSpecException(name + ": malformed YAML: " + sentence(String.valueOf(e.getMessage()))
                    + " Fix the YAML syntax.", e);
        }
        Layer layer = new Layer();
        if (root.isPresent()) {
            new Binder(name, layer).bindRoot(root.get());
        }
        return new SpecFile(name, layer);
    }

    private static String sentence(String text) {
        String t = text.strip();
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        return t + ".";
    }

    /** The file name given to {@link #parse} or {@link #read}, {@code ""} for {@link #NONE}. */
    public String name() {
        return name;
    }

    Layer layer() {
        return layer;
    }

    /** Binds the nodes of one document into a {@link Layer}, with exact positions in every error. */
    private static final class Binder {
        private final String file;
        private final Layer layer;

        Binder(String file, Layer layer) {
            this.file = file;
            this.layer = layer;
        }

        void bindRoot(Node root) {
            if (isNull(root)) {
                return;
            }
            if (!(root instanceof MappingNode)) {
                throw error(root, "(document)", "the document is " + kind(root) + ", not a mapping of settings. Write"
                        + " 'key: value' lines, e.g. 'shims: [qemu, qemu-runtime-rs]'.");
            }
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple t : ((MappingNode) root).getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode)) {
                    throw error(keyNode, "(key)", "a key must be a plain name, not " + kind(keyNode) + ". Known keys: "
                            + knownKeys() + ".");
                }
                String key = ((ScalarNode) keyNode).getValue();
                Node first = seen.putIfAbsent(key, keyNode);
                if (first != null) {
                    throw error(keyNode, key, "duplicate key (first at line " + line(first) + "). Keep only one of them.");
                }
                SpecKey specKey = SpecKey.fromYamlKey(key).orElseThrow(() -> error(keyNode, key, "unknown key."
                        + suggestion(key) + " Known keys: " + knownKeys() + "."));
                Node value = t.getValueNode();
                if (!isNull(value)) {
                    bind(specKey, key, keyNode, value);
                }
            }
        }

        private void bind(SpecKey specKey, String key, Node keyNode, Node value) {
            Origin origin = origin(keyNode, key);
            if (value instanceof ScalarNode) {
                layer.setText(specKey, scalar(value, key, isBool(specKey)), origin);
                return;
            }
            switch (specKey) {
                case SHIMS:
                    layer.shims = listing(value, key, origin);
                    break;
                case EXPERIMENTAL_FORCE_GUEST_PULL:
                    layer.forceGuestPull = listing(value, key, origin);
                    break;
                case EXPERIMENTAL_SETUP_SNAPSHOTTER:
                    layer.setupSnapshotters = listing(value, key, origin);
                    break;
                case SNAPSHOTTER_HANDLER_MAPPING:
                    layer.snapshotters = new Raw.Entries(entries(value, key, false), origin);
                    break;
                case PULL_TYPE_MAPPING:
                    layer.pullTypes = new Raw.Entries(entries(value, key, false), origin);
                    break;
                case AGENT_HTTPS_PROXY:
                    layer.httpsProxy = new Raw.Split(List.of(), entries(value, key, false), origin);
                    break;
                case AGENT_NO_PROXY:
                    layer.noProxy = new Raw.Split(List.of(), entries(value, key, false), origin);
                    break;
                case ALLOWED_HYPERVISOR_ANNOTATIONS:
                    layer.annotations = annotations(value, key, origin);
                    break;
                default:
                    throw error(value, key, "expected " + (isBool(specKey)
                            ? "true or false" : "a string")
                            + ", got " + kind(value) + ".");
            }
        }

        private static boolean isBool(SpecKey key) {
            return key == SpecKey.DEBUG || key == SpecKey.DEVKIT || key == SpecKey.CUSTOM_RUNTIMES_ENABLED;
        }

        private Raw.Listing listing(Node value, String key, Origin origin) {
            if (!(value instanceof SequenceNode)) {
                throw error(value, key, "expected a list of shim names or a string, got " + kind(value)
                        + ". Write e.g. [qemu, qemu-runtime-rs].");
            }
            List<Raw.Located> items = new ArrayList<>();
            for (Node item : ((SequenceNode) value).getValue()) {
                String name = scalar(item, key, false);
                if (name.isBlank()) {
                    throw error(item, key, "empty list item. Remove it or write a shim name.");
                }
                items.add(new Raw.Located(name.trim(), origin(item, key)));
            }
            if (items.isEmpty() && key.equals(SpecKey.SHIMS.yamlKey())) {
                throw error(value, key, "the list is empty, but at least one shim is needed. List shims, e.g."
                        + " [qemu-runtime-rs], or remove the key to use the default list.");
            }
            return new Raw.Listing(items, origin);
        }

        /** A mapping {@code shim: value}; with {@code listValues} a value may also be a list (joined with commas). */
        private List<Raw.Entry> entries(Node value, String key, boolean listValues) {
            if (!(value instanceof MappingNode)) {
                throw error(value, key, "expected a mapping of shim names to values or a string, got " + kind(value)
                        + ". Write e.g. {qemu-snp: nydus}.");
            }
            List<Raw.Entry> out = new ArrayList<>();
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple t : ((MappingNode) value).getValue()) {
                Node shimNode = t.getKeyNode();
                String shim = scalar(shimNode, key, false).trim();
                if (shim.isEmpty()) {
                    throw error(shimNode, key, "empty shim name. Write the shim the value is for, e.g. qemu-snp.");
                }
                Node first = seen.putIfAbsent(shim, shimNode);
                if (first != null) {
                    throw error(shimNode, key, "duplicate key '" + shim + "' (first at line " + line(first)
                            + "). Keep only one of them.");
                }
                Node v = t.getValueNode();
                String text;
                if (listValues && v instanceof SequenceNode) {
                    List<String> parts = new ArrayList<>();
                    for (Node item : ((SequenceNode) v).getValue()) {
                        parts.add(scalar(item, key, false).trim());
                    }
                    text = parts.stream().filter(s -> !s.isEmpty()).collect(Collectors.joining(","));
                } else {
                    text = isNull(v) ? "" : scalar(v, key, false).trim();
                }
                if (text.isEmpty()) {
                    throw error(v, key, "shim '" + shim + "' has an empty value. Give a value or remove the entry.");
                }
                out.add(new Raw.Entry(new Raw.Located(shim, origin(shimNode, key)), text));
            }
            return out;
        }

        private Raw.Split annotations(Node value, String key, Origin origin) {
            if (value instanceof MappingNode) {
                return new Raw.Split(List.of(), entries(value, key, true), origin);
            }
            List<String> global = new ArrayList<>();
            List<Raw.Entry> perShim = new ArrayList<>();
            for (Node item : ((SequenceNode) value).getValue()) {
                Raw.Split one = EnvSyntax.annotations(scalar(item, key, false), origin(item, key));
                global.addAll(one.global());
                perShim.addAll(one.perShim());
            }
            return new Raw.Split(global, perShim, origin);
        }

        /** The text of a scalar; {@code bool} asks for a YAML boolean, otherwise strings and numbers are taken literally. */
        private String scalar(Node node, String key, boolean bool) {
            if (!(node instanceof ScalarNode)) {
                throw error(node, key, "expected " + (bool ? "true or false" : "a string") + ", got " + kind(node) + ".");
            }
            ScalarNode s = (ScalarNode) node;
            Tag tag = s.getTag();
            if (bool) {
                if (!tag.equals(Tag.BOOL)) {
                    throw error(node, key, "expected true or false, got '" + s.getValue() + "'. Write true or false"
                            + (s.isPlain() ? "." : " without quotes."));
                }
                return s.getValue().toLowerCase(java.util.Locale.ROOT);
            }
            if (tag.equals(Tag.NULL)) {
                return "";
            }
            if (!tag.equals(Tag.STR) && !tag.equals(Tag.INT) && !tag.equals(Tag.FLOAT)) {
                throw error(node, key, "expected a string, got " + kind(node) + " '" + s.getValue() + "'. Quote the value"
                        + " if it is meant as text.");
            }
            return s.getValue();
        }

        private static boolean isNull(Node node) {
            return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
        }

        private static String kind(Node node) {
            if (node instanceof MappingNode) {
                return "a mapping";
            }
            if (node instanceof SequenceNode) {
                return "a list";
            }
            Tag tag = node.getTag();
            if (tag.equals(Tag.BOOL)) {
                return "a boolean";
            }
            if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
                return "a number";
            }
            if (tag.equals(Tag.NULL)) {
                return "null";
            }
            return tag.equals(Tag.STR) ? "a string" : "a value tagged " + tag.getValue();
        }

        private Origin origin(Node node, String key) {
            Optional<Mark> mark = node.getStartMark();
            return Origin.file(file, key, mark.map(m -> m.getLine() + 1).orElse(0), mark.map(m -> m.getColumn() + 1).orElse(0));
        }

        private static int line(Node node) {
            return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        }

        private SpecValueException error(Node node, String key, String message) {
            return new SpecValueException(origin(node, key), message);
        }

        private static String knownKeys() {
            return Arrays.stream(SpecKey.values()).map(SpecKey::yamlKey).collect(Collectors.joining(", "));
        }

        /** " Did you mean 'x'?" for the closest known key (case, '_' and '-' ignored), or "" when none is close. */
        private static String suggestion(String key) {
            String k = normalize(key);
            @Nullable String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (SpecKey candidate : SpecKey.values()) {
                int d = Math.min(distance(k, normalize(candidate.yamlKey())), distance(k, normalize(candidate.baseName())));
                if (d < bestDistance) {
                    bestDistance = d;
                    best = candidate.yamlKey();
                }
            }
            return best != null && bestDistance <= Math.max(2, k.length() / 4) ? " Did you mean '" + best + "'?" : "";
        }

        private static String normalize(String s) {
            String n = s.toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
            for (Arch a : Arch.values()) {
                String suffix = a.envSuffix().toLowerCase(java.util.Locale.ROOT).replace("_", "");
                if (n.endsWith(suffix) && n.length() > suffix.length()) {
                    return n.substring(0, n.length() - suffix.length());
                }
            }
            return n;
        }

        private static int distance(String a, String b) {
            int[] prev = new int[b.length() + 1];
            int[] cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}
