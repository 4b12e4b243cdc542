package io.kdeploy.cli.host;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * A {@link LogManager} that keeps its handlers when the JVM shuts down. The JDK's own manager resets logging from a
 * shutdown hook of its own, concurrently with {@link Termination}'s hook, so everything the agent logs while it cleans up
 * after SIGTERM — the decision and its reason included — would be dropped. Select it at JVM start with
 * {@code -Djava.util.logging.manager=io.kdeploy.cli.host.ShutdownSafeLogManager} (the agent image does); it must be on the
 * system class path.
 */
public final class ShutdownSafeLogManager extends LogManager {

    /** Created by {@link LogManager} itself when selected through {@code java.util.logging.manager}. */
    public ShutdownSafeLogManager() {
        super();
    }

    /** Resets as usual, except when the JDK's shutdown hook asks: then it only flushes, and logging goes on. */
    @Override
    public void reset() {
        if (Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName() + "$")) {
            for (Handler h : Logger.getLogger("").getHandlers()) {
                h.flush();
            }
            return;
        }
        super.reset();
    }
}
