package io.kdeploy.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.artifacts.Manifest;
import io.kdeploy.core.plan.HostRoot;
import io.kdeploy.core.plan.InstallRecords;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The in-use guard's note {@code /var/lib/kdeploy/<instance>.artifacts-pending.json}: a cleanup unregistered the instance's
 * handlers but kept its artifacts because running pods still used them, so a later cleanup must remove them. An install of
 * the instance deletes the note (the artifacts are wanted again). Also reads an artifact manifest's paths.
 */
final class PendingArtifacts {
    /** Built on first use: most runs never write or read this JSON, and a mapper's start-up is not free. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private PendingArtifacts() {}

    /** A path of an artifact manifest, relative to the destination, and whether kdeploy generated it. */
    record Entry(String path, boolean generated) {}

    /** The node path of an instance's note. */
    static String nodePath(String instance) {
        return InstallRecords.DIRECTORY + "/" + instance + ".artifacts-pending.json";
    }

    /** The handlers the note says were in use, if there is a note. */
    static Optional<List<String>> read(HostRoot root, String instance) {
        String path = nodePath(instance);
        return root.read(path).map(b -> {
            try {
                List<String> out = new ArrayList<>();
                Json.MAPPER.readTree(b.toArray()).path("handlersInUse").forEach(h -> out.add(h.asText()));
                return out;
            } catch (IOException e) {
                throw new KdeployException(path + " cannot be read as JSON (" + e.getMessage() + "). Delete it; the next"
                        + " cleanup then removes the artifacts if no pod uses them.", e);
            }
        });
    }

    /** Records that the artifacts under {@code dest} stay for the handlers in use. */
    static void write(HostRoot root, String instance, String dest, List<String> handlersInUse) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("format", 1);
        o.put("instance", instance);
        o.put("dest", dest);
        o.putPOJO("handlersInUse", handlersInUse);
        o.put("note", "kdeploy unregistered these handlers but kept " + dest + " because running pods used them;"
                + " the next 'kdeploy cleanup' removes it.");
        try {
            put(root.resolve(nodePath(instance)), Json.MAPPER.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new KdeployException("cannot write " + nodePath(instance) + ": " + e.getMessage()
                    + ". Check that the host root is writable.", e);
        }
    }

    /** Deletes the note; true when there was one. */
    static boolean clear(HostRoot root, String instance) {
        try {
            return Files.deleteIfExists(root.resolve(nodePath(instance)));
        } catch (IOException e) {
            throw new KdeployException("cannot delete " + nodePath(instance) + ": " + e.getMessage(), e);
        }
    }

    /** The entries of the artifact manifest in {@code dest}; empty when there is none or it cannot be read. */
    static List<Entry> manifestPaths(HostRoot root, String dest) {
        Optional<io.kdeploy.core.plan.Bytes> bytes = root.read(dest + "/" + Manifest.FILE_NAME);
        if (bytes.isEmpty()) {
            return List.of();
        }
        try {
            List<Entry> out = new ArrayList<>();
            for (JsonNode e : Json.MAPPER.readTree(bytes.get().toArray()).path("entries")) {
                out.add(new Entry(e.path("path").asText(), e.path("generated").asBoolean(false)));
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void put(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, content);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
