package io.kdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data sharing archive the image and the launcher build (src/deploy/Dockerfile, ./kdeploy): one training run
 * ({@code kdeploy demo}) records its classes, {@code -Xshare:dump} writes a static archive, and a later run maps picocli's
 * classes from it. A dynamic archive ({@code -XX:ArchiveClassesAtExit}) cannot hold them on JDK 17 (class-file version 49).
 */
class ClassDataSharingIT {
    private static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    @TempDir
    Path work;

    @Test
    void aStaticArchiveTrainedByTheDemoServesPicocliAndKdeploysClasses() throws IOException, InterruptedException {
        Path jar = shadedJar();
        Path classes = work.resolve("kdeploy.classlist");
        Path archive = work.resolve("kdeploy.jsa");

        Result training = java(List.of("-XX:DumpLoadedClassList=" + classes), jar, "demo", "--no-color");
        assertThat(training.exit).as(training.output).isZero();
        Result dump = java(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classes, "-XX:SharedArchiveFile=" + archive),
                jar);
        assertThat(dump.exit).as(dump.output).isZero();
        Result version = java(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info"), jar,
                "--version");

        assertThat(version.exit).as(version.output).isZero();
        assertThat(version.output).contains("kdeploy ")
                .containsPattern("picocli\\.CommandLine source: shared objects file")
                .containsPattern("io\\.kdeploy\\.cli\\.Main source: shared objects file");
    }

    private static Path shadedJar() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().endsWith("-all.jar")).map(Path::toAbsolutePath).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shaded jar in target/; run mvn verify"));
        }
    }

    private Result java(List<String> flags, Path jar, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(FLAGS);
        cmd.addAll(flags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        int exit = p.waitFor();
        return new Result(exit, Files.readString(out, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String output) {}
}
