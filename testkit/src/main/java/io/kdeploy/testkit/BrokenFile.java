package io.kdeploy.testkit;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.plan.Bytes;

/**
 * A malformed variant of a case's main file and where its parser must report the error.
 *
 * @param content the broken bytes
 * @param line the 1-based line the error must name
 */
public record BrokenFile(Bytes content, int line) {
    /** The line {@link #appendingGarbage} appends: not valid TOML, JSON or YAML. */
    public static final String GARBAGE = "!kdeploy-testkit: this line is not valid ==";

    public BrokenFile {
        requireNonNull(content, "content");
        if (line < 1) {
            throw new IllegalArgumentException("line is 1-based: " + line);
        }
    }

    /**
     * The file with {@link #GARBAGE} appended as a new last line, in the file's own line breaks (an absent file becomes that
     * one line). The end of a valid file is never inside a multi-line string, so every parser must stop at that line.
     */
    public static BrokenFile appendingGarbage(Bytes original) {
        String text = original.asUtf8();
        String nl = text.contains("\r\n") ? "\r\n" : "\n";
        if (!text.isEmpty() && !text.endsWith("\n")) {
            text += nl;
        }
        int line = (int) text.chars().filter(ch -> ch == '\n').count() + 1;
        return new BrokenFile(Bytes.utf8(text + GARBAGE + nl), line);
    }
}
