package io.kdeploy.cri.containerd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link InstallProcess} in a child JVM with this test's class path, tuned for a quick start. */
final class ChildJvm {
    private ChildJvm() {}

    /** Starts the child; stdout and stderr stay separate (read them, or the child may block). */
    static Process start(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
                "-Dkdeploy.corpus=" + GoldenCase.corpus().getParent(),
                "-cp", System.getProperty("java.class.path"),
                InstallProcess.class.getName()));
        cmd.addAll(args);
        try {
            return new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
