package io.kdeploy.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.spi.Baselines;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link InstallRecord}s as JSON under {@code <host-root>/var/lib/kdeploy/<instance>.json}, and turns a
 * record into the {@link Baselines} a configurer plans from.
 */
public final class InstallRecords {
    /** The node directory that holds the records. */
    public static final String DIRECTORY = "/var/lib/kdeploy";
    private static final System.Logger LOG = System.getLogger(InstallRecords.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private InstallRecords() {}

    /** The node path of an instance's record. */
    public static String nodePath(String instance) {
        return DIRECTORY + "/" + instance + ".json";
    }

    /**
     * The record of an instance, if there is one.
     *
     * @throws KdeployException when the record exists but cannot be read
     */
    public static Optional<InstallRecord> read(HostRoot root, String instance) {
        String path = nodePath(instance);
        return root.read(path).map(b -> fromJson(path, b));
    }

    /** Writes a record atomically (mode 0600). */
    public static void write(HostRoot root, InstallRecord record) {
        AtomicFiles.put(root.resolve(nodePath(record.instance())), toJson(record), 0600);
    }

    /** Deletes an instance's record; true when there was one. */
    public static boolean delete(HostRoot root, String instance) {
        Path p = root.resolve(nodePath(instance));
        boolean existed = Files.exists(p);
        AtomicFiles.put(p, null, 0);
        return existed;
    }

    /** The baselines of an instance on a host: from its record, or {@link Baselines#NONE} when it has none. */
    public static Baselines baselinesFor(HostRoot root, String instance) {
        return read(root, instance).map(InstallRecords::baselines).orElse(Baselines.NONE);
    }

    /**
     * The baselines a record gives. For a recorded file: when it is still exactly as one of our writes left it, its
     * original bytes ({@code null} when we created it); when someone changed it since, its current content with our recorded
     * structural edits taken out (their edits stay; a warning names the file). Other files: their current content.
     */
    public static Baselines baselines(InstallRecord record) {
        return new Baselines() {
            @Override
            public @Nullable Bytes baseline(String nodePath, NodeFiles files) {
                Bytes current = files.read(nodePath).orElse(null);
                Optional<InstallRecord.FileEntry> entry = record.file(nodePath);
                if (entry.isEmpty()) {
                    return current;
                }
                InstallRecord.FileEntry e = entry.get();
                if (e.isOurs(current)) {
                    return e.original();
                }
                if (current == null) {
                    LOG.log(System.Logger.Level.WARNING, () -> nodePath + " was deleted by someone else after kdeploy"
                            + " instance '" + record.instance() + "' wrote it; it stays deleted.");
                    return null;
                }
                LOG.log(System.Logger.Level.WARNING, () -> nodePath + " was changed by someone else after kdeploy instance '"
                        + record.instance() + "' wrote it; taking out only kdeploy's own edits and keeping theirs.");
                TomlDocument undone = TomlDocument.parse(nodePath, current).applyAll(e.undo());
                return e.created() && undone.text().isBlank() ? null : undone.bytes();
            }

            @Override
            public Set<String> recordedPaths() {
                return record.paths();
            }
        };
    }

    static Bytes toJson(InstallRecord r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("instance", r.instance());
        root.put("state", r.state().name());
        ArrayNode files = root.putArray("files");
        for (InstallRecord.FileEntry f : r.files()) {
            ObjectNode o = files.addObject();
            o.put("path", f.path());
            o.put("created", f.created());
            o.put("original", f.original() == null ? null : Base64.getEncoder().encodeToString(f.original().toArray()));
            o.put("originalSha256", f.original() == null ? null : f.original().sha256());
            o.put("afterSha256", f.afterSha256());
            o.put("interimSha256", f.interimSha256());
            ArrayNode undo = o.putArray("undo");
            for (TomlEdit e : f.undo()) {
                ObjectNode u = undo.addObject();
                u.put("op", e.getClass().getSimpleName());
                ArrayNode segs = u.putArray("path");
                e.path().segments().forEach(segs::add);
                String v = value(e);
                if (v != null) {
                    u.put("value", v);
                }
                if (e instanceof TomlEdit.RemoveFromArray rfa && rfa.dropWhenEmpty()) {
                    u.put("dropWhenEmpty", true);
                }
            }
        }
        try {
            return Bytes.of(JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new KdeployException("cannot encode the install record of " + r.instance() + ": " + e.getMessage(), e);
        }
    }

    private static @Nullable String value(TomlEdit e) {
        if (e instanceof TomlEdit.SetValue s) {
            return s.value();
        }
        if (e instanceof TomlEdit.AppendToArray a) {
            return a.element();
        }
        if (e instanceof TomlEdit.RemoveFromArray r) {
            return r.element();
        }
        return null;
    }

    static InstallRecord fromJson(String nodePath, Bytes json) {
        try {
            JsonNode root = JSON.readTree(json.toArray());
            List<InstallRecord.FileEntry> files = new ArrayList<>();
            for (JsonNode f : root.path("files")) {
                List<TomlEdit> undo = new ArrayList<>();
                for (JsonNode u : f.path("undo")) {
                    List<String> segs = new ArrayList<>();
                    u.path("path").forEach(s -> segs.add(s.asText()));
                    undo.add(edit(u.path("op").asText(), new KeyPath(segs), u.path("value").asText(),
                            u.path("dropWhenEmpty").asBoolean(false)));
                }
                JsonNode orig = f.path("original");
                files.add(new InstallRecord.FileEntry(
                        f.path("path").asText(),
                        orig.isTextual() ? Bytes.of(Base64.getDecoder().decode(orig.asText())) : null,
                        undo,
                        text(f.path("afterSha256")),
                        text(f.path("interimSha256"))));
            }
            return new InstallRecord(
                    root.path("instance").asText(), InstallRecord.State.valueOf(root.path("state").asText()), files);
        } catch (IOException | IllegalArgumentException e) {
            throw new KdeployException("the install record " + nodePath + " cannot be read (" + e.getMessage() + "). Restore"
                    + " it from a backup, or remove it and clean kdeploy's entries from the runtime config by hand.", e);
        }
    }

    private static @Nullable String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    private static TomlEdit edit(String op, KeyPath path, String value, boolean dropWhenEmpty) {
        switch (op) {
            case "EnsureTable":
                return new TomlEdit.EnsureTable(path);
            case "SetValue":
                return new TomlEdit.SetValue(path, value);
            case "RemoveKey":
                return new TomlEdit.RemoveKey(path);
            case "RemoveTable":
                return new TomlEdit.RemoveTable(path);
            case "RemoveHeader":
                return new TomlEdit.RemoveHeader(path);
            case "AppendToArray":
                return new TomlEdit.AppendToArray(path, value);
            case "RemoveFromArray":
                return new TomlEdit.RemoveFromArray(path, value, dropWhenEmpty);
            default:
                throw new IllegalArgumentException("unknown edit '" + op + "'");
        }
    }
}
