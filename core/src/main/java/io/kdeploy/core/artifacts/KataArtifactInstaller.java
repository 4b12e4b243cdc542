package io.kdeploy.core.artifacts;

import io.kdeploy.core.DeploySpec;
import io.kdeploy.core.InvalidSpecException;
import io.kdeploy.core.KataLayout;
import io.kdeploy.core.KdeployException;
import io.kdeploy.core.MalformedConfigException;
import io.kdeploy.core.UnsafePathException;
import io.kdeploy.core.artifacts.ArtifactAction.Op;
import io.kdeploy.core.artifacts.ManifestEntry.Type;
import io.kdeploy.core.plan.Bytes;
import io.kdeploy.core.spi.Installer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link Installer} (id {@code kata}): copies a Kata tree into {@code <prefix>/opt/kata[-<suffix>]} under the
 * host root, writes each shim's configuration directory ({@link ShimConfig}) and records everything in
 * {@code .kdeploy-manifest.json}.
 *
 * <p>Only what differs is written. A file whose source and destination size and modification time still match the manifest
 * is not read at all (rsync's quick check); {@link InstallOptions#verify()} hashes everything instead. Each file goes to a
 * temp file, is fsynced and renamed into place with its mode bits and modification time. Contents are streamed through one
 * bounded buffer, so the heap needed does not grow with file sizes.
 */
public final class KataArtifactInstaller implements Installer {
    private static final int MAX_BASE_CONFIG = 4 << 20;
    private static final int GENERATED_MODE = 0644;
    private static final Pattern TEMP = Pattern.compile("\\..+\\.kdeploy-[0-9a-f]+\\.tmp");

    /** A new installer; does no I/O. */
    public KataArtifactInstaller() {
        // stateless
    }

    @Override
    public String id() {
        return "kata";
    }

    @Override
    public ArtifactPlan plan(ArtifactSource source, DeploySpec spec, Path hostRoot, InstallOptions options) {
        KataLayout layout = new KataLayout(spec);
        Path dest = new HostPaths(hostRoot).resolve(layout.dest());
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidSpecException("The install destination " + layout.dest() + " (" + dest + ") exists and is not a"
                    + " directory. Move it away, or choose another INSTALLATION_PREFIX or MULTI_INSTALL_SUFFIX.");
        }
        try (DestinationStats stats = DestinationStats.afterManifest(dest,
                () -> readManifest(dest, layout.dest(), Manifest.FILE_NAME),
                !options.verify())) {
            if (source.kind() != ArtifactSource.Kind.DIRECTORY) {
                Manifest previous = stats.manifest();
                String stamp = stamp(source);
                Planner planner = new Planner(source, layout, dest, options, previous, stats);
                SourceReader.scan(source, planner::visit);
                return planner.finish(stamp);
            }
            List<Scanned> scanned = new ArrayList<>();
            Exception failed = null;
            try {
                SourceReader.scan(source, (entry, content) -> scanned.add(new Scanned(entry, content)));
            } catch (IOException | RuntimeException e) {
                failed = e;
            }
            Manifest previous = stats.manifest();
            Planner planner = new Planner(source, layout, dest, options, previous, stats);
            String stamp = stamp(source);
            if (failed instanceof IOException) {
                throw (IOException) failed;
            } else if (failed != null) {
                throw (RuntimeException) failed;
            }
            for (Scanned s : scanned) {
                planner.visit(s.entry(), s.content());
            }
            return planner.finish(stamp);
        } catch (IOException e) {
            throw new KdeployException("Reading the artifacts " + source.path() + " or the destination " + dest + " failed: "
                    + e + ". Check that the archive is complete and readable.", e);
        }
    }

    /**
     * An entry of a directory source, walked while the manifest is read; its content can be opened any time later (see
     * {@link SourceReader.Visitor}). An archive is planned while it streams, after the manifest was read.
     */
    private record Scanned(SourceEntry entry, SourceReader.Content content) {}

    @Override
    public ArtifactResult apply(ArtifactPlan plan, ProgressListener progress) {
        try {
            return new Applier(plan, progress).run();
        } catch (IOException e) {
            throw new KdeployException("Installing the artifacts into " + plan.nodeDest() + " failed: " + e + ". Files already"
                    + " written are complete (each is renamed into place); run the install again to finish.", e);
        }
    }

    @Override
    public UninstallReport uninstall(DeploySpec spec, Path hostRoot) {
        KataLayout layout = new KataLayout(spec);
        Path dest = new HostPaths(hostRoot).resolve(layout.dest());
        if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            return new UninstallReport(layout.dest(), false, 0, 0, List.of(), List.of());
        }
        Manifest manifest = readManifest(dest, layout.dest(), Manifest.FILE_NAME);
        Manifest previous = manifest == null ? null : readManifest(dest, layout.dest(), Manifest.PREVIOUS_FILE_NAME);
        try {
            if (manifest == null) {
                Log.LOG.log(Level.WARNING, () -> layout.dest() + " has no " + Manifest.FILE_NAME + "; nothing is removed");
                return new UninstallReport(layout.dest(), false, 0, 0, List.of(), remaining(dest, Set.of()));
            }
            int removed = 0;
            List<String> modified = new ArrayList<>();
            Set<Path> parents = new HashSet<>();
            DestinationDirs destDirs = new DestinationDirs(dest);
            for (Map.Entry<String, List<ManifestEntry>> e : recorded(manifest, previous).entrySet()) {
                if (!destDirs.parentsReal(e.getKey())) {
                    continue; // its directory is now a link or a file (reported as foreign below), not followed
                }
                Path p = inside(dest, e.getKey());
                parents.add(p.getParent()); // pruned when empty: an interrupted install may have made it, not filled it
                BasicFileAttributes a = lstat(p);
                if (a == null || a.isDirectory()) {
                    continue; // gone, or now a directory: pruned when empty, its content reported as foreign
                }
                if (matchesAny(e.getValue(), p, a, true)) {
                    Files.delete(p);
                    removed++;
                } else {
                    modified.add(e.getKey());
                }
            }
            for (Path temp : leftoverTemps(dest)) {
                Files.delete(temp);
                removed++;
                parents.add(temp.getParent());
            }
            if (Files.deleteIfExists(dest.resolve(Manifest.PREVIOUS_FILE_NAME))) {
                removed++;
            }
            Files.deleteIfExists(dest.resolve(Manifest.FILE_NAME));
            removed++;
            parents.add(dest);
            int dirs = pruneEmpty(dest, parents, Set.of(), true);
            List<String> foreign = Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)
                    ? remaining(dest, new HashSet<>(modified)) : List.of();
            if (Files.isDirectory(dest)) {
                AtomicFiles.fsyncDirectory(dest);
            }
            return new UninstallReport(layout.dest(), true, removed, dirs, modified, foreign);
        } catch (IOException e) {
            throw new KdeployException("Removing the artifacts from " + layout.dest() + " (" + dest + ") failed: " + e
                    + ". Run the cleanup again; files already removed stay removed.", e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------------

    /** Decides, entry by entry, what the install does. Reads the source once and the destination's metadata. */
    private static final class Planner {
        private final ArtifactSource source;
        private final KataLayout layout;
        private final Path dest;
        private final InstallOptions options;
        private final @Nullable Manifest previous;
        private final Map<String, ManifestEntry> old;
        /** The versions an unfinished install may have left ({@link Manifest#PREVIOUS_FILE_NAME}), by path. */
        private final Map<String, List<ManifestEntry>> earlier;
        private final DestinationStats stats;
        private final Map<String, SourceEntry> entries = new HashMap<>();
        private final NavigableMap<String, Integer> dirs = new TreeMap<>();
        private final Set<String> links = new HashSet<>();
        private final NavigableMap<String, ArtifactAction> actions = new TreeMap<>();
        private final Map<String, String> wantedBases = new LinkedHashMap<>();
        private final Map<String, String> baseTexts = new HashMap<>();
        private final DestinationDirs destDirs;
        private final Map<String, String> blocked = new TreeMap<>();
        /** Directories of the previous install now replaced by a link or file, whose manifest entries are left alone. */
        private final Set<String> shadowed = new HashSet<>();

        Planner(ArtifactSource source, KataLayout layout, Path dest, InstallOptions options, @Nullable Manifest previous,
                DestinationStats stats) {
            this.stats = stats;
            this.source = source;
            this.layout = layout;
            this.dest = dest;
            this.destDirs = new DestinationDirs(dest);
            this.options = options;
            this.previous = previous;
            this.old = previous == null ? Map.of() : previous.byPath();
            this.earlier = previous == null ? Map.of()
                    : recorded(readManifest(dest, layout.dest(), Manifest.PREVIOUS_FILE_NAME));
            for (String shim : layout.spec().shims()) {
                wantedBases.put(ShimConfig.basePath(layout, shim), shim);
            }
        }

        void visit(SourceEntry e, SourceReader.Content content) throws IOException {
            if (entries.putIfAbsent(e.path(), e) != null) {
                throw EntryNames.unsafe(source.path().toString(), e.path(), "appears twice; a later entry would silently"
                        + " replace an earlier one");
            }
            switch (e.kind()) {
                case DIRECTORY:
                    dirs.put(e.path(), e.mode());
                    checkDestDir(e.path());
                    break;
                case SYMLINK:
                    links.add(e.path());
                    actions.put(e.path(), planLink(e));
                    break;
                case FILE:
                    if (wantedBases.containsKey(e.path())) {
                        byte[] text = readBounded(e, content);
                        baseTexts.put(e.path(), new String(text, StandardCharsets.UTF_8));
                        actions.put(e.path(), planFile(e, () -> new ByteArrayInputStream(text), null));
                    } else {
                        actions.put(e.path(), planFile(e, content, null));
                    }
                    break;
                case HARDLINK:
                    actions.put(e.path(), planHardLink(e));
                    break;
                default:
                    throw new AssertionError(e.kind());
            }
        }

        ArtifactPlan finish(String stamp) throws IOException {
            String where = source.path().toString();
            if (!links.isEmpty()) {
                for (String path : entries.keySet()) {
                    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                        String prefix = path.substring(0, slash);
                        if (links.contains(prefix)) {
                            throw EntryNames.unsafe(where, path, "lies under the symlink '" + prefix + "'; writing it"
                                    + " would follow the link");
                        }
                    }
                }
            }
            List<String> missing = new ArrayList<>();
            wantedBases.forEach((path, shim) -> {
                if (!baseTexts.containsKey(path)) {
                    missing.add(shim + " (" + path + ")");
                }
            });
            if (!missing.isEmpty()) {
                throw new InvalidSpecException("The artifacts " + where + " have no base configuration for the shims "
                        + missing + ". Nothing was written. Remove these shims from SHIMS_<ARCH> or use artifacts that ship"
                        + " them.");
            }
            for (String shim : layout.spec().shims()) {
                String binary = layout.shimBinary(shim).substring(layout.dest().length() + 1);
                SourceEntry b = entries.get(binary);
                if (b == null || b.kind() == SourceEntry.Kind.DIRECTORY) {
                    missing.add(shim + " (" + binary + ")");
                }
            }
            if (!missing.isEmpty()) {
                throw new InvalidSpecException("The artifacts " + where + " have no shim binary for the shims " + missing
                        + ". Nothing was written. Remove these shims from SHIMS_<ARCH> or use artifacts that ship them.");
            }
            List<ShimConfig> configs = new ArrayList<>();
            for (String shim : layout.spec().shims()) {
                configs.add(ShimConfig.render(layout, shim, baseTexts.get(ShimConfig.basePath(layout, shim))));
            }
            for (String variant : layout.spec().variants()) {
                for (String shim : layout.spec().shims()) {
                    configs.add(ShimConfig.renderVariant(layout, shim, variant,
                            baseTexts.get(ShimConfig.basePath(layout, shim))));
                }
            }
            for (io.kdeploy.core.CustomRuntime r : layout.spec().extras().customRuntimes()) {
                configs.add(ShimConfig.renderCustom(layout, r, baseTexts.get(ShimConfig.basePath(layout, r.baseShim()))));
            }
            for (ShimConfig config : configs) {
                for (String path : config.destPaths().keySet()) {
                    checkGeneratedPath(where, path);
                }
            }
            for (ShimConfig config : configs) {
                for (Map.Entry<String, String> f : config.destPaths().entrySet()) {
                    actions.put(f.getKey(), planGenerated(f.getKey(), f.getValue().getBytes(StandardCharsets.UTF_8)));
                }
            }
            Set<String> removed = new HashSet<>();
            Set<String> stalePaths = new TreeSet<>(old.keySet());
            stalePaths.addAll(earlier.keySet());
            for (String path : stalePaths) {
                if (!actions.containsKey(path)) {
                    List<ManifestEntry> versions = new ArrayList<>(1);
                    if (old.containsKey(path)) {
                        versions.add(old.get(path));
                    }
                    versions.addAll(earlier.getOrDefault(path, List.of()));
                    ArtifactAction stale = planStale(path, versions);
                    if (stale != null) {
                        actions.put(path, stale);
                        if (stale.op() == Op.REMOVE) {
                            removed.add(path);
                        }
                    }
                }
            }
            if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                findTemps(dest, "");
            }
            for (Map.Entry<String, String> b : blocked.entrySet()) {
                if (!removed.contains(b.getKey())) {
                    throw new UnsafePathException("Destination " + layout.dest() + "/" + b.getKey() + " is " + b.getValue()
                            + " where the artifacts need a directory. Nothing was written. Remove it (kdeploy writes through"
                            + " no link inside the destination) and install again.");
                }
            }
            return new ArtifactPlan(source, layout.spec(), dest, options, List.copyOf(actions.values()), dirs, previous,
                    stamp);
        }

        /**
         * A per-shim configuration kdeploy generates must not lie under a symlink or file the artifacts ship (writing it would
         * follow the link, or fail half-way through the install), nor where they ship a directory or link.
         */
        private void checkGeneratedPath(String where, String path) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                SourceEntry e = entries.get(path.substring(0, slash));
                if (e != null && e.kind() != SourceEntry.Kind.DIRECTORY) {
                    throw generatedClash(where, e.path(), "is " + kindName(e) + " where", path);
                }
            }
            SourceEntry e = entries.get(path);
            if (e != null && (e.kind() == SourceEntry.Kind.DIRECTORY || e.kind() == SourceEntry.Kind.SYMLINK)) {
                throw generatedClash(where, e.path(), "is " + kindName(e) + " where", path);
            }
            String below = path + "/";
            for (NavigableMap<String, ?> sorted : List.of(actions, dirs)) {
                String next = sorted.ceilingKey(below);
                if (next != null && next.startsWith(below)) {
                    throw generatedClash(where, next, "lies below the file", path);
                }
            }
        }

        private static String kindName(SourceEntry e) {
            return switch (e.kind()) {
                case DIRECTORY -> "a directory";
                case SYMLINK -> "a symlink";
                case FILE, HARDLINK -> "a file";
            };
        }

        private static UnsafePathException generatedClash(String where, String entry, String relation, String path) {
            return new UnsafePathException("Artifact source " + where + ": entry '" + entry + "' " + relation
                    + " kdeploy writes the shim configuration " + path + ". Nothing was written. Use artifacts that ship"
                    + " nothing there (kdeploy generates share/defaults/kata-containers[/runtime-rs]/runtimes/<shim>/).");
        }

        private byte[] readBounded(SourceEntry e, SourceReader.Content content) throws IOException {
            if (e.size() > MAX_BASE_CONFIG) {
                throw new InvalidSpecException("Base configuration " + e.path() + " in " + source.path() + " is " + e.size()
                        + " bytes; a Kata configuration is a few kilobytes. Check the artifacts.");
            }
            try (InputStream in = content.open()) {
                return in.readNBytes(MAX_BASE_CONFIG);
            }
        }

        private ArtifactAction planFile(SourceEntry e, SourceReader.Content content, @Nullable String copyOf)
                throws IOException {
            boolean parentsOk = checkParents(e.path());
            Path d = inside(dest, e.path());
            PosixFileAttributes a = parentsOk ? destination(e.path(), d) : null;
            String mtime = e.mtimeText();
            if (a == null) {
                return file(e, mtime, Op.WRITE, null, copyOf, "new");
            }
            if (a.isDirectory()) {
                throw new UnsafePathException("Destination " + layout.dest() + "/" + e.path() + " is a directory where the"
                        + " artifacts have a file. Nothing was written. Remove it and install again.");
            }
            if (!a.isRegularFile()) {
                return file(e, mtime, Op.WRITE, null, copyOf,
                        "replaces a " + (a.isSymbolicLink() ? "symlink" : "special file"));
            }
            int dmode = SourceReader.bits(a.permissions());
            ManifestEntry m = old.get(e.path());
            if (!options.verify() && m != null && m.type() == Type.FILE && !m.generated() && m.size() == e.size()
                    && a.size() == m.size() && Objects.equals(m.mtime(), mtime)
                    && a.lastModifiedTime().equals(e.mtime())) {
                return dmode == e.mode() && m.mode() == e.mode()
                        ? file(e, mtime, Op.UNCHANGED, m.sha256(), copyOf, "unchanged (size and mtime)")
                        : file(e, mtime, Op.METADATA, m.sha256(), copyOf, "mode changed");
            }
            if (a.size() != e.size()) {
                return file(e, mtime, Op.WRITE, null, copyOf, "size changed");
            }
            String srcSha;
            try (InputStream in = content.open()) {
                srcSha = AtomicFiles.sha256(in);
            }
            if (!srcSha.equals(AtomicFiles.sha256(d))) {
                return file(e, mtime, Op.WRITE, srcSha, copyOf, "content changed");
            }
            boolean sameTime = a.lastModifiedTime().equals(e.mtime());
            return dmode == e.mode() && sameTime
                    ? file(e, mtime, Op.UNCHANGED, srcSha, copyOf, "unchanged (hashed)")
                    : file(e, mtime, Op.METADATA, srcSha, copyOf, sameTime ? "mode changed" : "mtime changed");
        }

        /** The destination file's attributes: as the second thread found them, or looked up now. */
        private @Nullable PosixFileAttributes destination(String path, Path d) throws IOException {
            Object known = stats.take(path);
            if (known == DestinationStats.Lookup.ABSENT) {
                return null;
            }
            return known instanceof PosixFileAttributes ? (PosixFileAttributes) known : lstat(d);
        }

        private ArtifactAction planHardLink(SourceEntry e) throws IOException {
            String target = Objects.requireNonNull(e.link());
            SourceEntry t = entries.get(target);
            ArtifactAction ta = actions.get(target);
            if (t == null || t.kind() != SourceEntry.Kind.FILE || ta == null) {
                throw EntryNames.unsafe(source.path().toString(), e.path(), "is a hard link to '" + target + "', which is not"
                        + " a file earlier in the archive (a link out of the tree)");
            }
            SourceEntry copy = new SourceEntry(e.path(), SourceEntry.Kind.FILE, t.size(), t.mode(), t.mtime(), null);
            if (ta.op() == Op.WRITE) {
                return file(copy, copy.mtimeText(), Op.WRITE, ta.sha256(), target, "hard link to a written file");
            }
            return planFile(copy, () -> Files.newInputStream(inside(dest, target), LinkOption.NOFOLLOW_LINKS), target);
        }

        private ArtifactAction planLink(SourceEntry e) throws IOException {
            boolean parentsOk = checkParents(e.path());
            String target = Objects.requireNonNull(e.link());
            Path d = inside(dest, e.path());
            BasicFileAttributes a = parentsOk ? lstat(d) : null;
            String reason;
            if (a == null) {
                reason = "new";
            } else if (a.isSymbolicLink()) {
                if (Files.readSymbolicLink(d).toString().equals(target)) {
                    return link(e, Op.UNCHANGED, "unchanged");
                }
                reason = "target changed";
            } else if (a.isDirectory()) {
                throw new UnsafePathException("Destination " + layout.dest() + "/" + e.path() + " is a directory where the"
                        + " artifacts have a symlink. Nothing was written. Remove it and install again.");
            } else {
                reason = "replaces a file";
            }
            return link(e, Op.WRITE, reason);
        }

        private ArtifactAction planGenerated(String path, byte[] content) throws IOException {
            boolean parentsOk = checkParents(path);
            Path d = inside(dest, path);
            PosixFileAttributes a = parentsOk ? lstat(d) : null;
            String sha = AtomicFiles.sha256(content);
            Op op = Op.WRITE;
            String reason = "new";
            if (a != null && a.isDirectory()) {
                throw new UnsafePathException("Destination " + layout.dest() + "/" + path + " is a directory where kdeploy"
                        + " writes a configuration file. Nothing was written. Remove it and install again.");
            }
            if (a != null && a.isRegularFile()) {
                reason = "content changed";
                if (a.size() == content.length && AtomicFiles.sha256(d).equals(sha)) {
                    op = SourceReader.bits(a.permissions()) == GENERATED_MODE ? Op.UNCHANGED : Op.METADATA;
                    reason = op == Op.UNCHANGED ? "unchanged" : "mode changed";
                }
            }
            return new ArtifactAction(path, op, Type.FILE, content.length, GENERATED_MODE, null, null, sha, null,
                    Bytes.of(content), reason);
        }

        /**
         * A file an earlier install wrote that this one does not ship: removed when it is still one of the {@code versions}
         * recorded for it (the manifest's, then an unfinished install's), kept and reported when someone changed it.
         */
        private @Nullable ArtifactAction planStale(String path, List<ManifestEntry> versions) throws IOException {
            int slash = path.lastIndexOf('/');
            if (slash > 0 && !destDirs.isReal(path.substring(0, slash))) {
                Map.Entry<String, String> culprit = destDirs.culprit(path.substring(0, slash));
                if (shadowed.add(culprit.getKey())) {
                    Log.LOG.log(Level.WARNING, () -> layout.dest() + "/" + culprit.getKey() + " is now " + culprit.getValue()
                            + "; the previous install's files below it are not followed and not removed");
                }
                return null;
            }
            Path p = inside(dest, path);
            BasicFileAttributes a = lstat(p);
            if (a == null || a.isDirectory()) {
                return null; // gone, or a directory (the new tree's, or someone's): no file of ours to remove
            }
            boolean ours = matchesAny(versions, p, a, options.verify());
            ManifestEntry m = versions.get(0);
            return new ArtifactAction(path, ours ? Op.REMOVE : Op.LEAVE, m.type(), m.size(), m.mode(), m.mtime(), m.link(),
                    m.sha256(), null, null, ours ? "no longer shipped" : "no longer shipped, but changed since the install:"
                    + " kept");
        }

        private ArtifactAction file(SourceEntry e, @Nullable String mtime, Op op, @Nullable String sha,
                @Nullable String copyOf, String reason) {
            return new ArtifactAction(e.path(), op, Type.FILE, e.size(), e.mode(), mtime, null, sha, copyOf, null, reason);
        }

        private ArtifactAction link(SourceEntry e, Op op, String reason) {
            return new ArtifactAction(e.path(), op, Type.SYMLINK, 0, 0, null, e.link(), null, null, null, reason);
        }

        /**
         * Plans the removal of the temp files an interrupted install left ({@code .<name>.kdeploy-<hex>.tmp}) in the
         * destination directory {@code rel} and below. Names the plan already knows cost no {@code lstat}: a source file or
         * a manifest entry is no directory, and a source directory is one when {@link #checkDestDir} found it real (a symlink
         * or file in its place is refused anyway); only other names are looked at.
         */
        private void findTemps(Path dir, String rel) throws IOException {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path child : children) {
                    String name = child.getFileName().toString();
                    String path = rel.isEmpty() ? name : rel + "/" + name;
                    if (dirs.containsKey(path)) {
                        if (destDirs.isReal(path)) {
                            findTemps(child, path);
                        }
                    } else if (entries.containsKey(path) || old.containsKey(path)) {
                        continue;
                    } else {
                        PosixFileAttributes a = lstat(child);
                        if (a == null) {
                            continue;
                        }
                        if (a.isDirectory()) {
                            findTemps(child, path);
                        } else if ((a.isRegularFile() || a.isSymbolicLink()) && TEMP.matcher(name).matches()) {
                            actions.putIfAbsent(path, new ArtifactAction(path, Op.REMOVE, Type.FILE, 0, 0, null, null, null,
                                    null, null, "temp file of an interrupted install"));
                        }
                    }
                }
            }
        }

        /**
         * Every existing ancestor of a destination path must be a real directory; one that is not is remembered (refused in
         * {@link #finish} unless the plan removes it). Returns false when the path must not be looked at, because looking
         * would follow such an ancestor.
         */
        private boolean checkParents(String path) throws IOException {
            int slash = path.lastIndexOf('/');
            return slash <= 0 || checkDestDir(path.substring(0, slash));
        }

        private boolean checkDestDir(String dir) throws IOException {
            if (destDirs.isReal(dir)) {
                return true;
            }
            Map.Entry<String, String> culprit = destDirs.culprit(dir);
            blocked.put(culprit.getKey(), culprit.getValue());
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------------

    /** Carries out a plan. */
    private static final class Applier {
        private static final int COPY_THREADS = 2;
        private final ArtifactPlan plan;
        private final ProgressListener listener;
        private final Path dest;
        private final Map<String, ArtifactAction> byPath = new LinkedHashMap<>();
        private final Map<String, String> hashes = new HashMap<>();
        private final Set<Path> touchedDirs = new HashSet<>();
        /** Directories already made or found in this run: each is checked once, not once per file in it. */
        private final Set<String> madeDirs = new HashSet<>();
        private final Committer committer = new Committer();
        private final long filesTotal;
        private final long bytesTotal;
        private long filesDone;
        private long bytesDone;
        private int written;
        private int removed;
        private int metadata;
        private boolean manifestWritten;

        Applier(ArtifactPlan plan, ProgressListener listener) {
            this.plan = plan;
            this.listener = listener;
            this.dest = plan.destination();
            for (ArtifactAction a : plan.actions()) {
                byPath.put(a.path(), a);
            }
            this.filesTotal = plan.actions().stream().filter(a -> a.op() == Op.WRITE).count();
            this.bytesTotal = plan.bytesToWrite();
        }

        ArtifactResult run() throws IOException {
            try {
                return install();
            } finally {
                committer.close();
            }
        }

        private ArtifactResult install() throws IOException {
            Files.createDirectories(dest);
            List<String> kept = new ArrayList<>();
            Set<Path> emptied = new HashSet<>();
            for (ArtifactAction a : plan.actions()) {
                if (a.op() == Op.REMOVE) {
                    Path p = inside(dest, a.path());
                    Files.deleteIfExists(p);
                    removed++;
                    emptied.add(p.getParent());
                    touchedDirs.add(p.getParent());
                } else if (a.op() == Op.LEAVE) {
                    kept.add(a.path());
                    Log.LOG.log(Level.WARNING, () -> plan.nodeDest() + "/" + a.path() + ": " + a.reason());
                }
            }
            if (plan.previous() != null) {
                DestinationDirs destDirs = new DestinationDirs(dest);
                for (ManifestEntry e : plan.previous().entries()) {
                    if (!byPath.containsKey(e.path()) && destDirs.parentsReal(e.path())) {
                        emptied.add(inside(dest, e.path()).getParent()); // an interrupted install may have made it only
                    }
                }
            }
            pruneEmpty(dest, emptied, plan.directories().keySet(), false);
            for (String dir : plan.directories().keySet()) {
                mkdir(dir);
            }
            if (filesTotal > 0) {
                listener.update(new ProgressListener.Progress(0, filesTotal, 0, bytesTotal, ""));
            }
            writeSourceFiles();
            committer.drain(this::writeManifestAhead);
            for (ArtifactAction a : plan.actions()) {
                if (a.op() == Op.WRITE && a.copyOf() != null) {
                    try (InputStream in = Files.newInputStream(inside(dest, a.copyOf()), LinkOption.NOFOLLOW_LINKS)) {
                        writeFile(a, in);
                    }
                } else if (a.op() == Op.WRITE && a.type() == Type.SYMLINK) {
                    Path p = target(a.path());
                    AtomicFiles.symlink(p, Objects.requireNonNull(a.link()));
                    done(a.path());
                } else if (a.op() == Op.WRITE && a.content() != null) {
                    Path p = target(a.path());
                    AtomicFiles.write(a.content().toArray(), p, a.mode());
                    hashes.put(a.path(), Objects.requireNonNull(a.sha256()));
                    bytesDone += a.size();
                    done(a.path());
                } else if (a.op() == Op.METADATA) {
                    Path p = inside(dest, a.path());
                    Files.setPosixFilePermissions(p, SourceReader.perms(a.mode()));
                    if (a.mtime() != null) {
                        Files.setLastModifiedTime(p, Mtimes.parse(a.mtime()));
                    }
                    metadata++;
                }
            }
            committer.drain();
            for (Map.Entry<String, Integer> d : plan.directories().entrySet()) {
                Path p = inside(dest, d.getKey());
                if (SourceReader.mode(p) != d.getValue()) {
                    Files.setPosixFilePermissions(p, SourceReader.perms(d.getValue()));
                }
            }
            if (Files.deleteIfExists(dest.resolve(Manifest.PREVIOUS_FILE_NAME))) {
                touchedDirs.add(dest);
            }
            for (Path dir : touchedDirs) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    AtomicFiles.fsyncDirectory(dir);
                }
            }
            return new ArtifactResult(plan.nodeDest(), written, removed, metadata, bytesDone, kept, manifestWritten);
        }

        private void writeSourceFiles() throws IOException {
            boolean any = plan.actions().stream()
                    .anyMatch(a -> a.op() == Op.WRITE && a.type() == Type.FILE && a.copyOf() == null && a.content() == null);
            if (!any) {
                return;
            }
            ArtifactSource source = plan.source();
            if (!source.isArchive()) {
                writeDirectoryFiles(source);
                return;
            }
            if (!stamp(source).equals(plan.sourceStamp())) {
                throw new InvalidSpecException("The archive " + source.path() + " changed between planning and installing."
                        + " Nothing more was written; run the install again.");
            }
            SourceReader.scan(source, (e, content) -> {
                ArtifactAction a = byPath.get(e.path());
                if (e.kind() == SourceEntry.Kind.FILE && a != null && isSourceWrite(a)) {
                    try (InputStream in = content.open()) {
                        writeFile(a, in);
                    }
                }
            });
        }

        /**
         * Copies (and hashes) a directory's files on {@link #COPY_THREADS} threads, each with its own lane of work: whole
         * directories of small files first (two threads creating files in one directory spin on its lock; small files first
         * so their creates do not queue behind the journal commits of the large files' data), then the large files, largest
         * first, each to the lane with fewer bytes so far. Results are taken, checked and committed on this thread, the
         * lanes interleaved.
         */
        private void writeDirectoryFiles(ArtifactSource source) throws IOException {
            List<ArtifactAction> todo = new ArrayList<>();
            for (ArtifactAction a : plan.actions()) {
                if (isSourceWrite(a)) {
                    todo.add(a);
                }
            }
            List<List<ArtifactAction>> lanes = CopyLanes.split(todo, COPY_THREADS);
            List<ExecutorService> pools = new ArrayList<>();
            List<Future<AtomicFiles.Staged>> pending = new ArrayList<>();
            List<ArtifactAction> order = new ArrayList<>();
            int taken = 0;
            try {
                int longest = 0;
                for (List<ArtifactAction> lane : lanes) {
                    pools.add(Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "kdeploy-copy");
                        t.setDaemon(true);
                        return t;
                    }));
                    longest = Math.max(longest, lane.size());
                }
                for (int i = 0; i < longest; i++) {
                    for (int l = 0; l < lanes.size(); l++) {
                        if (i < lanes.get(l).size()) {
                            ArtifactAction a = lanes.get(l).get(i);
                            Path p = target(a.path());
                            FileTime mtime = a.mtime() == null ? null : Mtimes.parse(a.mtime());
                            pending.add(pools.get(l).submit(() -> {
                                try (FileChannel in = SourceReader.openFile(source, a.path())) {
                                    return AtomicFiles.stage(in, p, a.mode(), mtime, n -> { });
                                }
                            }));
                            order.add(a);
                        }
                    }
                }
                for (ArtifactAction a : order) {
                    AtomicFiles.Staged staged = take(pending.get(taken));
                    taken++;
                    bytesDone += a.size();
                    checkAndCommit(a, staged);
                }
            } finally {
                for (ExecutorService pool : pools) {
                    for (Runnable notStarted : pool.shutdownNow()) {
                        ((Future<?>) notStarted).cancel(false);
                    }
                }
                for (int i = taken; i < pending.size(); i++) {
                    discard(pending.get(i));
                }
            }
        }

        private static AtomicFiles.Staged take(Future<AtomicFiles.Staged> f) throws IOException {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while copying the artifacts", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException) {
                    throw (IOException) c;
                }
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw new IOException(c);
            }
        }

        /** Waits for a copy not taken (after a failure) and removes its temp file. */
        private static void discard(Future<AtomicFiles.Staged> f) {
            try {
                Files.deleteIfExists(f.get().temp());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | IOException | CancellationException e) {
                Log.LOG.log(Level.DEBUG, () -> "abandoned copy: " + e.getMessage());
            }
        }

        private static boolean isSourceWrite(ArtifactAction a) {
            return a.op() == Op.WRITE && a.type() == Type.FILE && a.copyOf() == null && a.content() == null;
        }

        private void writeFile(ArtifactAction a, InputStream in) throws IOException {
            Path p = target(a.path());
            FileTime mtime = a.mtime() == null ? null : Mtimes.parse(a.mtime());
            AtomicFiles.Staged staged = AtomicFiles.stage(Channels.newChannel(in), p, a.mode(), mtime, n -> {
                bytesDone += n;
                listener.update(new ProgressListener.Progress(filesDone, filesTotal, bytesDone, bytesTotal, a.path()));
            });
            checkAndCommit(a, staged);
        }

        private void checkAndCommit(ArtifactAction a, AtomicFiles.Staged staged) throws IOException {
            String sha = staged.sha256();
            if (a.sha256() != null && !a.sha256().equals(sha)) {
                Files.deleteIfExists(staged.temp());
                throw new InvalidSpecException("The artifact " + a.path() + " changed between planning and installing (sha256 "
                        + sha + ", planned " + a.sha256() + "). Run the install again.");
            }
            committer.submit(staged);
            hashes.put(a.path(), sha);
            done(a.path());
        }

        private void done(String path) {
            written++;
            filesDone++;
            listener.update(new ProgressListener.Progress(filesDone, filesTotal, bytesDone, bytesTotal, path));
        }

        /** The destination path of an entry, its parent directory created as a real directory. */
        private Path target(String path) throws IOException {
            int slash = path.lastIndexOf('/');
            if (slash > 0) {
                mkdir(path.substring(0, slash));
            }
            Path p = inside(dest, path);
            touchedDirs.add(p.getParent());
            return p;
        }

        private void mkdir(String dir) throws IOException {
            if (madeDirs.contains(dir)) {
                return;
            }
            Path p = dest;
            for (String seg : EntryNames.segments(dir)) {
                p = p.resolve(seg);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Files.createDirectory(p);
                touchedDirs.add(p.getParent());
            }
            madeDirs.add(dir);
        }

        /**
         * Writes the manifest of the finished install before the first file of this install is renamed into place (its
         * digests are known once the files are staged), keeping the previous manifest beside it until the install has
         * finished: an install interrupted from here on leaves every file matching one of the two, so that an uninstall
         * still removes exactly what either install wrote, and the next install compares against the new one.
         */
        private void writeManifestAhead() throws IOException {
            List<ManifestEntry> entries = new ArrayList<>();
            for (ArtifactAction a : plan.actions()) {
                if (a.op() == Op.REMOVE || a.op() == Op.LEAVE) {
                    continue;
                }
                if (a.type() == Type.SYMLINK) {
                    entries.add(new ManifestEntry(a.path(), Type.SYMLINK, 0, null, 0, a.link(), null, false));
                } else {
                    entries.add(new ManifestEntry(a.path(), Type.FILE, a.size(), sha256(a), a.mode(), null, a.mtime(),
                            a.generated()));
                }
            }
            entries.sort(Comparator.comparing(ManifestEntry::path));
            Manifest manifest = new Manifest(Manifest.FORMAT, plan.nodeDest(), entries);
            if (manifest.equals(plan.previous())) {
                return;
            }
            if (plan.previous() != null) {
                Set<ManifestEntry> versions = new LinkedHashSet<>(plan.previous().entries());
                Manifest unfinished = readManifest(dest, plan.nodeDest(), Manifest.PREVIOUS_FILE_NAME);
                if (unfinished != null) {
                    versions.addAll(unfinished.entries());
                }
                List<ManifestEntry> sorted = new ArrayList<>(versions);
                sorted.sort(Comparator.comparing(ManifestEntry::path));
                AtomicFiles.write(ManifestJson.write(new Manifest(Manifest.FORMAT, plan.nodeDest(), sorted)),
                        dest.resolve(Manifest.PREVIOUS_FILE_NAME), 0644);
            }
            AtomicFiles.write(ManifestJson.write(manifest), dest.resolve(Manifest.FILE_NAME), 0644);
            AtomicFiles.fsyncDirectory(dest);
            manifestWritten = true;
        }

        /** A file's digest: planned, or taken while staging it, or (a copy of another file) that file's. */
        private String sha256(ArtifactAction a) throws IOException {
            String sha = a.sha256() != null ? a.sha256() : hashes.get(a.path());
            if (sha == null && a.copyOf() != null) {
                sha = hashes.get(a.copyOf());
                if (sha == null) {
                    sha = AtomicFiles.sha256(inside(dest, a.copyOf()));
                }
            }
            return Objects.requireNonNull(sha, a.path());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------------

    /**
     * Makes staged files durable, then visible. Files are collected until {@link #drain}; there one {@code syncfs(2)} per
     * file system (coreutils {@code sync -f}, on Linux 5.8 or later, where it reports write-back errors) flushes all of them
     * together. Where that is not available, each file is fsynced on a few threads (so the flushes overlap). Either way a
     * file's data is durable before the rename that publishes it; the caller fsyncs the directories after.
     */
    private static final class Committer {
        /** What runs between making the staged files durable and renaming them into place. */
        @FunctionalInterface
        interface BeforePublish {
            void run() throws IOException;
        }

        private static final int THREADS = 4;
        private static final boolean SYNCFS = syncfsReportsErrors(System.getProperty("os.name", ""),
                System.getProperty("os.version", ""));

        private final List<AtomicFiles.Staged> staged = new ArrayList<>();

        void submit(AtomicFiles.Staged file) {
            staged.add(file);
        }

        /** Makes every submitted file durable, then renames it into place; on failure the rest's temp files are removed. */
        void drain() throws IOException {
            drain(() -> { });
        }

        /**
         * Makes every submitted file durable, runs {@code beforePublish}, then renames the files into place; on failure the
         * rest's temp files are removed.
         */
        void drain(BeforePublish beforePublish) throws IOException {
            try {
                if (!staged.isEmpty() && !(SYNCFS && syncfs())) {
                    flushEach();
                }
                beforePublish.run();
                int published = 0;
                try {
                    for (AtomicFiles.Staged f : staged) {
                        AtomicFiles.publish(f);
                        published++;
                    }
                } finally {
                    staged.subList(0, published).clear(); // renamed: no temp file left to remove
                }
            } finally {
                close();
            }
        }

        /** Removes the temp files of files not yet renamed (after a failure). */
        void close() {
            for (AtomicFiles.Staged f : staged) {
                try {
                    Files.deleteIfExists(f.temp());
                } catch (IOException e) {
                    Log.LOG.log(Level.DEBUG, () -> "could not remove " + f.temp() + ": " + e.getMessage());
                }
            }
            staged.clear();
        }

        /** One {@code sync -f} over the directories of the staged files; false when it could not run or failed. */
        private boolean syncfs() throws IOException {
            Set<String> dirs = new LinkedHashSet<>();
            for (AtomicFiles.Staged f : staged) {
                dirs.add(f.temp().getParent().toString());
            }
            List<String> cmd = new ArrayList<>(List.of("sync", "-f", "--"));
            cmd.addAll(dirs);
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (p.waitFor() == 0) {
                    return true;
                }
                Log.LOG.log(Level.DEBUG, "sync -f failed; fsyncing each written file");
                return false;
            } catch (IOException e) {
                Log.LOG.log(Level.DEBUG, () -> "sync -f could not run (" + e.getMessage() + "); fsyncing each written file");
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while flushing written files", e);
            }
        }

        private void flushEach() throws IOException {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, staged.size()), r -> {
                Thread t = new Thread(r, "kdeploy-fsync");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<@Nullable Void>> done = new ArrayList<>();
                for (AtomicFiles.Staged f : staged) {
                    done.add(pool.submit(() -> {
                        AtomicFiles.flush(f.temp());
                        return null;
                    }));
                }
                for (Future<@Nullable Void> d : done) {
                    d.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while flushing written files", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException) {
                    throw (IOException) c;
                }
                throw new IOException(c);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Whether {@code syncfs(2)} returns write-back errors: Linux 5.8 and later (earlier kernels return 0 regardless). */
    static boolean syncfsReportsErrors(String osName, String osVersion) {
        if (!osName.equals("Linux")) {
            return false;
        }
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(osVersion);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 5 || major == 5 && minor >= 8;
    }

    private static @Nullable Manifest readManifest(Path dest, String nodeDest, String fileName) {
        Path file = dest.resolve(fileName);
        String nodeFile = nodeDest + "/" + fileName;
        BasicFileAttributes a;
        try {
            a = lstat(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (a == null) {
            return null;
        }
        if (!a.isRegularFile()) {
            throw new UnsafePathException("The manifest " + nodeFile + " is not a regular file (a symlink?). kdeploy changed"
                    + " nothing. Remove it; " + (fileName.equals(Manifest.FILE_NAME)
                    ? "the next install then compares every file by content."
                    : "files only an interrupted install's previous version wrote are then kept and reported as foreign."));
        }
        try {
            Manifest m;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                m = ManifestJson.read(in, nodeFile);
            }
            if (m.version() != Manifest.FORMAT) {
                throw new MalformedConfigException(nodeFile, 0, 0, "manifest format " + m.version() + " is not "
                        + Manifest.FORMAT + " (written by another kdeploy version?)", null);
            }
            return m;
        } catch (IOException e) {
            throw new KdeployException("Reading the manifest " + nodeFile + " failed: " + e + ".", e);
        }
    }

    /**
     * Every path the manifest records, sorted, with what it may be: the manifest's entry, then the previous manifest's (kept
     * beside it while an install was putting its files into place, see {@code writeManifestAhead}).
     */
    private static Map<String, List<ManifestEntry>> recorded(Manifest manifest, @Nullable Manifest previous) {
        Map<String, List<ManifestEntry>> out = recorded(manifest);
        recorded(previous).forEach((path, versions) -> out.computeIfAbsent(path, k -> new ArrayList<>(1)).addAll(versions));
        return out;
    }

    /** A manifest's entries by path, sorted; a path may have several (the previous manifest of unfinished installs). */
    private static Map<String, List<ManifestEntry>> recorded(@Nullable Manifest manifest) {
        Map<String, List<ManifestEntry>> out = new TreeMap<>();
        if (manifest != null) {
            for (ManifestEntry e : manifest.entries()) {
                out.computeIfAbsent(e.path(), k -> new ArrayList<>(1)).add(e);
            }
        }
        return out;
    }

    /**
     * True when the file or link at {@code p} is exactly one of the recorded versions: a link with the recorded target, a
     * file with the recorded size and, unless {@code hash}, the recorded mtime, else the recorded SHA-256 (read at most once).
     */
    private static boolean matchesAny(List<ManifestEntry> versions, Path p, BasicFileAttributes a, boolean hash)
            throws IOException {
        String sha = null;
        for (ManifestEntry m : versions) {
            if (m.type() == Type.SYMLINK) {
                if (a.isSymbolicLink() && Files.readSymbolicLink(p).toString().equals(m.link())) {
                    return true;
                }
            } else if (a.isRegularFile() && a.size() == m.size()) {
                if (!hash && m.mtime() != null && m.mtime().equals(Mtimes.format(a.lastModifiedTime()))) {
                    return true;
                }
                if (sha == null) {
                    sha = AtomicFiles.sha256(p);
                }
                if (sha.equals(m.sha256())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes the given directories and their ancestors up to {@code dest} while they are empty; returns how many. */
    private static int pruneEmpty(Path dest, Set<Path> start, Set<String> keep, boolean includeDest) throws IOException {
        Set<Path> candidates = new TreeSet<>(Comparator.comparingInt(Path::getNameCount).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (Path p : start) {
            for (Path q = p; q != null && q.startsWith(dest); q = q.getParent()) {
                candidates.add(q);
            }
        }
        int count = 0;
        for (Path dir : candidates) {
            if (dir.equals(dest) && !includeDest) {
                continue;
            }
            if (!dir.equals(dest) && keep.contains(dest.relativize(dir).toString().replace('\\', '/'))) {
                continue;
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.delete(dir);
                count++;
            } catch (DirectoryNotEmptyException e) {
                Log.LOG.log(Level.DEBUG, () -> dir + " is not empty; kept");
            } catch (NoSuchFileException e) {
                Log.LOG.log(Level.DEBUG, () -> dir + " is already gone");
            } catch (FileSystemException e) {
                Log.LOG.log(Level.INFO, () -> dir + " cannot be removed (" + e.getReason() + ", a mount point?); kept");
            }
        }
        return count;
    }

    /** Temp files an interrupted install left behind ({@code .<name>.kdeploy-<hex>.tmp}). */
    private static List<Path> leftoverTemps(Path dest) throws IOException {
        try (Stream<Path> s = Files.walk(dest)) {
            return s.filter(p -> TEMP.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
                    .toList();
        }
    }

    /** The files left in the destination, relative, sorted, except those named. */
    private static List<String> remaining(Path dest, Set<String> except) throws IOException {
        try (Stream<Path> s = Files.walk(dest)) {
            return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> dest.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !except.contains(p))
                    .sorted()
                    .toList();
        }
    }

    private static Path inside(Path dest, String relative) {
        return dest.resolve(relative);
    }

    /** The path's attributes without following a link (one {@code lstat}: type, size, mtime and mode), or null. */
    static @Nullable PosixFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("Not a directory")) {
                return null;
            }
            throw e;
        }
    }

    /** The archive's size and modification time, to notice that it changed between plan and apply. */
    private static String stamp(ArtifactSource source) {
        if (!source.isArchive()) {
            return "";
        }
        try {
            BasicFileAttributes a = Files.readAttributes(source.path(), BasicFileAttributes.class);
            return a.size() + "@" + Mtimes.format(a.lastModifiedTime());
        } catch (IOException e) {
            throw new InvalidSpecException("The archive " + source.path() + " cannot be read: " + e + ".", e);
        }
    }

    /**
     * The logger, created on first use: the first logger of a JVM sets up the logging back-end (~9 ms), which a run that
     * logs nothing, such as an unchanged re-install, need not pay on its main thread.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(KataArtifactInstaller.class.getName());
    }
}
