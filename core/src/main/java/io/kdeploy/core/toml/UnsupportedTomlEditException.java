package io.kdeploy.core.toml;

import io.kdeploy.core.KdeployException;

/**
 * An edit cannot be spliced into a file safely, e.g. because the target lies inside an inline table or a value of another
 * type stands where a table is needed. The file was not changed (exit 3).
 */
public class UnsupportedTomlEditException extends KdeployException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String key;
    private final int line;

    /**
     * @param file the node path of the file
     * @param key the key path the edit addresses
     * @param line 1-based line of the key in the file, 0 when it is not in the file
     * @param reason what stands in the way
     */
    public UnsupportedTomlEditException(String file, KeyPath key, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": cannot edit " + key + ": " + reason + ". kdeploy changed nothing;"
                + " rewrite that part of the file with [table] headers and one key per line, then run again.");
        this.file = file;
        this.key = key.toString();
        this.line = line;
    }

    /** The node path of the file. */
    public String file() {
        return file;
    }

    /** The key path the edit addresses, as TOML writes it. */
    public String key() {
        return key;
    }

    /** The 1-based line of the key, 0 when unknown. */
    public int line() {
        return line;
    }

    @Override
    public int exitCode() {
        return 3;
    }
}
