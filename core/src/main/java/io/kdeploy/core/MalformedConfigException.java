package io.kdeploy.core;

import org.jspecify.annotations.Nullable;

/** A host configuration file cannot be parsed; nothing on the host was touched (exit 3). */
public class MalformedConfigException extends KdeployException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    /**
     * @param file the node path of the file, e.g. {@code /etc/containerd/config.toml}
     * @param line 1-based line, 0 when unknown
     * @param column 1-based column, 0 when unknown
     * @param reason the parser's own words
     */
    public MalformedConfigException(String file, int line, int column, String reason, @Nullable Throwable cause) {
        super(file + ":" + line + ":" + column + ": " + reason + ". kdeploy changed nothing; fix the file (or restore it from"
                + " its backup) and run again.", cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }

    @Override
    public int exitCode() {
        return 3;
    }
}
