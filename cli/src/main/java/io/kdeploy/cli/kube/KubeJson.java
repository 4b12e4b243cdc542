package io.kdeploy.cli.kube;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kdeploy.core.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON that {@code kubectl get daemonsets -A -o json} and {@code kubectl get node NAME -o json} print into fabric8's
 * model. Every problem (missing file, not JSON, wrong kind, a field of the wrong type) is an {@link InvalidSpecException}
 * whose message names the option, the file and what is wrong.
 */
public final class KubeJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private KubeJson() {}

    /**
     * The DaemonSets in a file holding a {@code List}/{@code DaemonSetList} (as {@code kubectl get daemonsets -A -o json}
     * prints it) or a single {@code DaemonSet}.
     *
     * @param option the command-line option that named the file, for messages (e.g. {@code --daemonsets})
     */
    public static List<DaemonSet> readDaemonSets(String option, Path file) {
        JsonNode root = readTree(option, file);
        String kind = root.path("kind").asText("");
        if ("DaemonSet".equals(kind)) {
            return List.of(convert(option, file, root, DaemonSet.class, "the DaemonSet"));
        }
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw new InvalidSpecException(option + " " + file + ": expected a list of DaemonSets (an object with an"
                    + " 'items' array, kind List or DaemonSetList) but found " + describeKind(kind)
                    + ". Pass the output of 'kubectl get daemonsets -A -o json'.");
        }
        List<DaemonSet> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String itemKind = item.path("kind").asText("");
            if (!item.isObject() || !(itemKind.isEmpty() || "DaemonSet".equals(itemKind))) {
                throw new InvalidSpecException(option + " " + file + ": items[" + i + "] is " + describeKind(itemKind)
                        + ", not a DaemonSet. Pass the output of 'kubectl get daemonsets -A -o json'.");
            }
            out.add(convert(option, file, item, DaemonSet.class, "items[" + i + "]"));
        }
        return out;
    }

    /**
     * The Node in a file as {@code kubectl get node NAME -o json} prints it.
     *
     * @param option the command-line option that named the file, for messages (e.g. {@code --node})
     */
    public static Node readNode(String option, Path file) {
        JsonNode root = readTree(option, file);
        String kind = root.path("kind").asText("");
        if (!"Node".equals(kind)) {
            throw new InvalidSpecException(option + " " + file + ": expected a Node but found " + describeKind(kind)
                    + ". Pass the output of 'kubectl get node NAME -o json'.");
        }
        return convert(option, file, root, Node.class, "the Node");
    }

    private static JsonNode readTree(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidSpecException(option + " " + file + ": is a directory, not a JSON file.");
        }
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = MAPPER.readTree(in);
        } catch (NoSuchFileException e) {
            throw new InvalidSpecException(option + " " + file + ": the file does not exist. Check the path.", e);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(option + " " + file + ": not valid JSON" + at(e.getLocation()) + ": "
                    + e.getOriginalMessage() + ".", e);
        } catch (IOException e) {
            throw new InvalidSpecException(option + " " + file + ": cannot be read (" + e + "). Check the path and its"
                    + " permissions.", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidSpecException(option + " " + file + ": the file is empty; it must hold a JSON object.");
        }
        if (!root.isObject()) {
            throw new InvalidSpecException(option + " " + file + ": expected a JSON object but found "
                    + root.getNodeType().toString().toLowerCase(Locale.ROOT) + ".");
        }
        return root;
    }

    private static <T> T convert(String option, Path file, JsonNode node, Class<T> type, String what) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            String path = jsonPath(e.getPath());
            throw new InvalidSpecException(option + " " + file + ": " + what + " does not fit the Kubernetes "
                    + type.getSimpleName() + " schema" + (path.isEmpty() ? "" : " at " + path) + ": "
                    + e.getOriginalMessage() + ".", e);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException(option + " " + file + ": " + what + " cannot be read as a Kubernetes "
                    + type.getSimpleName() + ": " + e.getOriginalMessage() + ".", e);
        }
    }

    /** {@code .spec.template.spec.nodeSelector} style path of a mapping error. */
    private static String jsonPath(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String at(@Nullable JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describeKind(String kind) {
        return kind.isEmpty() ? "an object without 'kind'" : "kind '" + kind + "'";
    }
}
