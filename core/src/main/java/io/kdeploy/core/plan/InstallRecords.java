package io.kdeploy.core.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.spi.Baselines;
import io.kdeploy.core.spi.NodeFiles;
import io.kdeploy.core.toml.KeyPath;
import io.kdeploy.core.toml.TomlDocument;
import io.kdeploy.core.toml.TomlEdit;
import java.io.ByteArrayOutputStream;
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
    private static final JsonFactory JSON = new JsonFactory();

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
                    Log.LOG.log(System.Logger.Level.WARNING, () -> nodePath + " was deleted by someone else after kdeploy"
                            + " instance '" + record.instance() + "' wrote it; it stays deleted.");
                    return null;
                }
                Log.LOG.log(System.Logger.Level.WARNING, () -> nodePath + " was changed by someone else after kdeploy instance '"
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

    /**
     * The record as indented JSON. Written and read with jackson's streaming API: every install reads the record to plan,
     * and data binding's start-up costs more than the whole read.
     */
    static Bytes toJson(InstallRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeStringField("instance", r.instance());
            g.writeStringField("state", r.state().name());
            g.writeArrayFieldStart("files");
            for (InstallRecord.FileEntry f : r.files()) {
                g.writeStartObject();
                g.writeStringField("path", f.path());
                g.writeBooleanField("created", f.created());
                g.writeStringField("original", f.original() == null ? null
                        : Base64.getEncoder().encodeToString(f.original().toArray()));
                g.writeStringField("originalSha256", f.original() == null ? null : f.original().sha256());
                g.writeStringField("afterSha256", f.afterSha256());
                g.writeStringField("interimSha256", f.interimSha256());
                g.writeArrayFieldStart("undo");
                for (TomlEdit e : f.undo()) {
                    g.writeStartObject();
                    g.writeStringField("op", e.getClass().getSimpleName());
                    g.writeArrayFieldStart("path");
                    for (String seg : e.path().segments()) {
                        g.writeString(seg);
                    }
                    g.writeEndArray();
                    String v = value(e);
                    if (v != null) {
                        g.writeStringField("value", v);
                    }
                    if (e instanceof TomlEdit.RemoveFromArray rfa && rfa.dropWhenEmpty()) {
                        g.writeBooleanField("dropWhenEmpty", true);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new KdeployException("cannot encode the install record of " + r.instance() + ": " + e.getMessage(), e);
        }
        return Bytes.of(out.toByteArray());
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
        try (JsonParser p = JSON.createParser(json.toArray())) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the record");
            String instance = null;
            InstallRecord.State state = null;
            List<InstallRecord.FileEntry> files = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if ("instance".equals(field)) {
                    instance = text(p, t, field);
                } else if ("state".equals(field)) {
                    state = InstallRecord.State.valueOf(text(p, t, field));
                } else if ("files".equals(field)) {
                    expect(t, JsonToken.START_ARRAY, field);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        files.add(file(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (instance == null || state == null) {
                throw new IllegalArgumentException("'instance' and 'state' are required");
            }
            return new InstallRecord(instance, state, files);
        } catch (IOException | IllegalArgumentException e) {
            throw new KdeployException("the install record " + nodePath + " cannot be read (" + e.getMessage() + "). Restore"
                    + " it from a backup, or remove it and clean kdeploy's entries from the runtime config by hand.", e);
        }
    }

    private static InstallRecord.FileEntry file(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "a file entry");
        String path = null;
        Bytes original = null;
        String after = null;
        String interim = null;
        List<TomlEdit> undo = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "path":
                    path = text(p, t, field);
                    break;
                case "original":
                    original = Bytes.of(Base64.getDecoder().decode(text(p, t, field)));
                    break;
                case "afterSha256":
                    after = text(p, t, field);
                    break;
                case "interimSha256":
                    interim = text(p, t, field);
                    break;
                case "undo":
                    expect(t, JsonToken.START_ARRAY, field);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        undo.add(undoEdit(p));
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (path == null) {
            throw new IllegalArgumentException("a file entry has no 'path'");
        }
        return new InstallRecord.FileEntry(path, original, undo, after, interim);
    }

    private static TomlEdit undoEdit(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, "an undo edit");
        String op = "";
        List<String> segs = new ArrayList<>();
        String value = "";
        boolean dropWhenEmpty = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if ("op".equals(field)) {
                op = text(p, t, field);
            } else if ("path".equals(field)) {
                expect(t, JsonToken.START_ARRAY, field);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    segs.add(text(p, p.currentToken(), "a path segment"));
                }
            } else if ("value".equals(field)) {
                value = text(p, t, field);
            } else if ("dropWhenEmpty".equals(field)) {
                dropWhenEmpty = t == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return edit(op, new KeyPath(segs), value, dropWhenEmpty);
    }

    private static String text(JsonParser p, @Nullable JsonToken t, String what) throws IOException {
        expect(t, JsonToken.VALUE_STRING, what);
        return p.getText();
    }

    private static void expect(@Nullable JsonToken got, JsonToken want, String what) {
        if (got != want) {
            throw new IllegalArgumentException(what + " must be " + (want == JsonToken.START_OBJECT ? "an object"
                    : want == JsonToken.START_ARRAY ? "an array" : "a string"));
        }
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

    /**
     * The logger, created on first use: the first logger of a JVM sets up the logging back-end (~9 ms), which a run that
     * logs nothing, such as an unchanged re-install, need not pay on its main thread.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(InstallRecords.class.getName());
    }
}
