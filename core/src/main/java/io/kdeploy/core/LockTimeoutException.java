package io.kdeploy.core;

/** The node lock could not be taken in time because another kdeploy run holds it (exit 5). */
public class LockTimeoutException extends KdeployException {
    private static final long serialVersionUID = 1L;

    public LockTimeoutException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 5;
    }
}
