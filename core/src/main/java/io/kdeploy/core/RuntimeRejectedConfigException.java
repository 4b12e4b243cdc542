package io.kdeploy.core;

/** The container runtime rejected the new configuration; every file was rolled back to its original bytes (exit 4). */
public class RuntimeRejectedConfigException extends KdeployException {
    private static final long serialVersionUID = 1L;
    private final String runtimeOutput;

    public RuntimeRejectedConfigException(String message, String runtimeOutput) {
        super(message);
        this.runtimeOutput = runtimeOutput;
    }

    /** What the runtime's validation command printed. */
    public String runtimeOutput() {
        return runtimeOutput;
    }

    @Override
    public int exitCode() {
        return 4;
    }
}
