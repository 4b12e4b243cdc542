package io.kdeploy.core.artifacts;

import static java.util.Objects.requireNonNull;

import io.kdeploy.core.InvalidSpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the Kata artifacts come from: a directory or a tar archive whose root is the content of {@code /opt/kata}
 * ({@code bin/}, {@code runtime-rs/bin/}, {@code share/defaults/kata-containers/…}).
 *
 * @param path the directory or archive on the machine running kdeploy (not under the host root)
 * @param kind how to read it
 */
public record ArtifactSource(Path path, Kind kind) {

    /** The forms a source can take. */
    public enum Kind {
        /** A directory tree. */
        DIRECTORY,
        /** An uncompressed {@code .tar}. */
        TAR,
        /** A gzip-compressed tar: {@code .tar.gz} or {@code .tgz}. */
        TAR_GZ,
        /** A zstd-compressed tar: {@code .tar.zst} or {@code .tzst}. */
        TAR_ZST
    }

    public ArtifactSource {
        requireNonNull(path, "path");
        requireNonNull(kind, "kind");
    }

    /**
     * The source at {@code path}, its kind taken from what it is: a directory, or an archive named {@code *.tar},
     * {@code *.tar.gz}/{@code *.tgz}, {@code *.tar.zst}/{@code *.tzst}.
     *
     * @throws InvalidSpecException when the path does not exist or has another name
     */
    public static ArtifactSource of(Path path) {
        if (Files.isDirectory(path)) {
            return new ArtifactSource(path, Kind.DIRECTORY);
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidSpecException("Artifact source " + path + " does not exist or is neither a directory nor a file."
                    + " Pass --artifacts with the Kata tree (the content of /opt/kata) or a .tar, .tar.gz or .tar.zst of it.");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tar")) {
            return new ArtifactSource(path, Kind.TAR);
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return new ArtifactSource(path, Kind.TAR_GZ);
        }
        if (name.endsWith(".tar.zst") || name.endsWith(".tzst")) {
            return new ArtifactSource(path, Kind.TAR_ZST);
        }
        throw new InvalidSpecException("Artifact source " + path + " is a file whose name ends in neither .tar, .tar.gz, .tgz,"
                + " .tar.zst nor .tzst. Rename it after its format or unpack it into a directory.");
    }

    /** True for an archive (read as a stream, twice: once to check and plan, once to write). */
    public boolean isArchive() {
        return kind != Kind.DIRECTORY;
    }
}
