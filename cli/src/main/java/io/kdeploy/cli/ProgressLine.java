package io.kdeploy.cli;

import io.kdeploy.core.artifacts.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how an artifact install advances (files, megabytes, rate), once it has run for a second: a quick install prints
 * nothing. Time and rate count from the first report, which an install makes as its writing begins. On a terminal it is one line that rewrites itself ({@code \r}) at most ten times a second and is cleared at the
 * end; elsewhere (a pipe, a file, a pod's log) it is a plain line every five seconds, none for the last file (the
 * command's summary follows).
 */
final class ProgressLine implements ProgressListener {
    /** How the progress is shown. */
    enum Mode {
        /** One line rewritten in place. */
        TERMINAL,
        /** Plain lines, one per {@link #PLAIN_EVERY_NANOS}. */
        PLAIN
    }

    static final long QUIET_NANOS = 1_000_000_000L;
    static final long TERMINAL_EVERY_NANOS = 100_000_000L;
    static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final Mode mode;
    private final LongSupplier clock;
    private boolean started;
    private long startNanos;
    private long lastNanos;
    private boolean shown;

    ProgressLine(PrintWriter err, Mode mode, LongSupplier clock) {
        this.err = err;
        this.mode = mode;
        this.clock = clock;
    }

    /** A line on the terminal when standard error is one and the output is text; plain lines otherwise. */
    static ProgressLine forStderr(PrintWriter err, boolean textOutput) {
        return new ProgressLine(err, textOutput && stderrIsTerminal() ? Mode.TERMINAL : Mode.PLAIN, System::nanoTime);
    }

    /**
     * Whether file descriptor 2 is a terminal (Linux: where {@code /proc/self/fd/2} leads); elsewhere whether the JVM has a
     * console. {@code TERM=dumb} is no terminal.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    @Override
    public void update(Progress p) {
        long now = clock.getAsLong();
        if (!started) {
            started = true;
            startNanos = now;
            lastNanos = now;
            return;
        }
        long elapsed = now - startNanos;
        if (elapsed < QUIET_NANOS) {
            return;
        }
        boolean last = p.filesDone() >= p.filesTotal();
        if (mode == Mode.TERMINAL) {
            if (shown && now - lastNanos < TERMINAL_EVERY_NANOS && !last) {
                return;
            }
            String path = p.path().length() > 40 ? "…" + p.path().substring(p.path().length() - 39) : p.path();
            err.print("\r\033[2K  " + describe(p, elapsed) + "  " + path);
        } else {
            if (last || shown && now - lastNanos < PLAIN_EVERY_NANOS) {
                return;
            }
            err.println("kdeploy: " + describe(p, elapsed));
        }
        err.flush();
        lastNanos = now;
        shown = true;
    }

    private static String describe(Progress p, long elapsedNanos) {
        return String.format(Locale.ROOT, "artifacts %d/%d files, %.1f/%.1f MB, %.1f MB/s", p.filesDone(), p.filesTotal(),
                p.bytesDone() / 1e6, p.bytesTotal() / 1e6, p.bytesDone() / 1e6 / (elapsedNanos / 1e9));
    }

    /** Clears the terminal line if one was shown. */
    void finish() {
        if (mode == Mode.TERMINAL && shown) {
            err.print("\r\033[2K");
            err.flush();
            shown = false;
        }
    }
}
