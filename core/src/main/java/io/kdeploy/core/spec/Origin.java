package io.kdeploy.core.spec;

import static java.util.Objects.requireNonNull;

/**
 * Where a spec value came from: a command-line override, an environment variable, a position in the YAML file, or the
 * default. {@link #toString()} is the prefix of every error message about the value.
 *
 * @param source the kind of input
 * @param key the variable name ({@code SHIMS_X86_64}) or YAML key ({@code shims})
 * @param file the YAML file, {@code ""} for other sources
 * @param line 1-based line in the YAML file, 0 for other sources
 * @param column 1-based column in the YAML file, 0 for other sources
 */
public record Origin(Source source, String key, String file, int line, int column) {

    /** The kinds of input, highest precedence first. */
    public enum Source {
        /** An explicit override, e.g. a command-line flag. */
        OVERRIDE,
        /** An environment variable. */
        ENVIRONMENT,
        /** The YAML file. */
        FILE,
        /** kata-deploy's default. */
        DEFAULT
    }

    public Origin {
        requireNonNull(source, "source");
        requireNonNull(key, "key");
        requireNonNull(file, "file");
    }

    /** An explicit override of the variable {@code key}. */
    public static Origin override(String key) {
        return new Origin(Source.OVERRIDE, key, "", 0, 0);
    }

    /** The environment variable {@code key}. */
    public static Origin environment(String key) {
        return new Origin(Source.ENVIRONMENT, key, "", 0, 0);
    }

    /** A YAML key at a 1-based line and column. */
    public static Origin file(String file, String key, int line, int column) {
        return new Origin(Source.FILE, key, file, line, column);
    }

    /** The default of the variable {@code key}. */
    public static Origin byDefault(String key) {
        return new Origin(Source.DEFAULT, key, "", 0, 0);
    }

    /** The same place, naming another key (an entry of a YAML mapping keeps its position). */
    Origin withKey(String newKey) {
        return new Origin(source, newKey, file, line, column);
    }

    /** {@code SHIMS_X86_64}, {@code SHIMS_X86_64 (override)}, {@code SHIMS_X86_64 (default)} or {@code file:line:column: shims}. */
    @Override
    public String toString() {
        switch (source) {
            case OVERRIDE:
                return key + " (command line)";
            case FILE:
                return file + ":" + line + ":" + column + ": " + key;
            case DEFAULT:
                return key + " (default)";
            default:
                return key;
        }
    }
}
