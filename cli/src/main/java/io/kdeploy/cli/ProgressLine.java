package io.kdeploy.cli;

import io.kdeploy.core.artifacts.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Renders artifact install progress as one line that rewrites itself ({@code \r}) on a terminal, at most ten times a
 * second. Off a terminal it prints nothing, so logs and pipes stay clean.
 */
final class ProgressLine implements ProgressListener {
    private final PrintWriter err;
    private final boolean enabled;
    private long lastNanos;
    private boolean shown;

    ProgressLine(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Enabled when the JVM has a console and the output is text. */
    static ProgressLine forTerminal(PrintWriter err, boolean textOutput) {
        return new ProgressLine(err, textOutput && System.console() != null);
    }

    @Override
    public void update(Progress p) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (shown && now - lastNanos < 100_000_000L && p.filesDone() < p.filesTotal()) {
            return;
        }
        lastNanos = now;
        shown = true;
        String path = p.path().length() > 40 ? "…" + p.path().substring(p.path().length() - 39) : p.path();
        err.print(String.format(Locale.ROOT, "\r\033[2K  artifacts %d/%d files, %.1f/%.1f MB  %s", p.filesDone(),
                p.filesTotal(), p.bytesDone() / 1e6, p.bytesTotal() / 1e6, path));
        err.flush();
    }

    /** Clears the line if one was shown. */
    void finish() {
        if (shown) {
            err.print("\r\033[2K");
            err.flush();
            shown = false;
        }
    }
}
