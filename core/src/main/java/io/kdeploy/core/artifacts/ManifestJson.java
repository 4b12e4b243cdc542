package io.kdeploy.core.artifacts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.artifacts.ManifestEntry.Type;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the manifest with jackson's streaming API. Every install and re-install reads it, and data binding costs
 * a start-up (reflection over the records, deserializer construction) larger than the whole parse of 2,000 entries; the
 * format is jackson's indented output of {@link Manifest}, unknown fields are ignored.
 */
final class ManifestJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ManifestJson() {}

    /** The manifest's JSON, indented. */
    static byte[] write(Manifest manifest) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + manifest.entries().size() * 256);
        try (JsonGenerator g = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeNumberField("version", manifest.version());
            g.writeStringField("dest", manifest.dest());
            g.writeArrayFieldStart("entries");
            for (ManifestEntry e : manifest.entries()) {
                g.writeStartObject();
                g.writeStringField("path", e.path());
                g.writeStringField("type", e.type().name());
                g.writeNumberField("size", e.size());
                writeIfPresent(g, "sha256", e.sha256());
                g.writeNumberField("mode", e.mode());
                writeIfPresent(g, "link", e.link());
                writeIfPresent(g, "mtime", e.mtime());
                g.writeBooleanField("generated", e.generated());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeIfPresent(JsonGenerator g, String name, @Nullable String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /**
     * The manifest in {@code in}.
     *
     * @param nodeFile the manifest's node path, for error messages
     * @throws MalformedConfigException when it is not JSON, or a field is missing or has the wrong type (exit 3)
     */
    static Manifest read(InputStream in, String nodeFile) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, nodeFile, "the manifest");
            Integer version = null;
            String dest = null;
            List<ManifestEntry> entries = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "version":
                        expect(p, t, JsonToken.VALUE_NUMBER_INT, nodeFile, field);
                        version = p.getIntValue();
                        break;
                    case "dest":
                        expect(p, t, JsonToken.VALUE_STRING, nodeFile, field);
                        dest = p.getText();
                        break;
                    case "entries":
                        expect(p, t, JsonToken.START_ARRAY, nodeFile, field);
                        entries = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            entries.add(entry(p, nodeFile));
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw malformed(p, nodeFile, "text after the manifest's closing brace");
            }
            return new Manifest(required(p, version, "version", nodeFile), required(p, dest, "dest", nodeFile),
                    required(p, entries, "entries", nodeFile));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new MalformedConfigException(nodeFile, loc == null ? 0 : loc.getLineNr(),
                    loc == null ? 0 : loc.getColumnNr(), e.getOriginalMessage(), e);
        }
    }

    private static ManifestEntry entry(JsonParser p, String nodeFile) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, nodeFile, "an entry");
        String path = null;
        Type type = null;
        long size = 0;
        String sha256 = null;
        int mode = 0;
        String link = null;
        String mtime = null;
        boolean generated = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "path":
                    path = text(p, t, nodeFile, field);
                    if (!EntryNames.isNormal(path) || Manifest.isManifestFile(path)) {
                        throw malformed(p, nodeFile, "entry path '" + path + "' is not a relative path inside the"
                                + " destination (an absolute path, '..', '.', an empty segment or a manifest"
                                + " file)");
                    }
                    break;
                case "type":
                    type = type(p, text(p, t, nodeFile, field), nodeFile);
                    break;
                case "size":
                    expect(p, t, JsonToken.VALUE_NUMBER_INT, nodeFile, field);
                    size = p.getLongValue();
                    break;
                case "sha256":
                    sha256 = text(p, t, nodeFile, field);
                    break;
                case "mode":
                    expect(p, t, JsonToken.VALUE_NUMBER_INT, nodeFile, field);
                    mode = p.getIntValue();
                    break;
                case "link":
                    link = text(p, t, nodeFile, field);
                    break;
                case "mtime":
                    mtime = text(p, t, nodeFile, field);
                    break;
                case "generated":
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw malformed(p, nodeFile, "field 'generated' must be true or false");
                    }
                    generated = t == JsonToken.VALUE_TRUE;
                    break;
                default:
                    p.skipChildren();
            }
        }
        try {
            return new ManifestEntry(required(p, path, "path", nodeFile), required(p, type, "type", nodeFile), size, sha256,
                    mode, link, mtime, generated);
        } catch (IllegalArgumentException e) {
            throw malformed(p, nodeFile, e.getMessage());
        }
    }

    private static Type type(JsonParser p, String name, String nodeFile) throws IOException {
        for (Type t : Type.values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw malformed(p, nodeFile, "entry type '" + name + "' is neither FILE nor SYMLINK");
    }

    private static String text(JsonParser p, JsonToken t, String nodeFile, String field) throws IOException {
        expect(p, t, JsonToken.VALUE_STRING, nodeFile, field);
        return p.getText();
    }

    private static void expect(JsonParser p, @Nullable JsonToken got, JsonToken want, String nodeFile, String what) {
        if (got != want) {
            throw malformed(p, nodeFile, what + " must be " + describe(want) + ", not " + describe(got));
        }
    }

    private static <T> T required(JsonParser p, @Nullable T value, String field, String nodeFile) {
        if (value == null) {
            throw malformed(p, nodeFile, "field '" + field + "' is missing");
        }
        return value;
    }

    private static String describe(@Nullable JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            default:
                return t.asString() == null ? t.name().toLowerCase(java.util.Locale.ROOT) : "'" + t.asString() + "'";
        }
    }

    private static MalformedConfigException malformed(JsonParser p, String nodeFile, String reason) {
        JsonLocation loc = p.currentTokenLocation();
        return new MalformedConfigException(nodeFile, loc.getLineNr(), loc.getColumnNr(), reason, null);
    }
}
