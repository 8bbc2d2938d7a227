package dev.trainstream.evaluator.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An export written where nobody reads it and put in place only once it is whole, so a failed or killed export
 * leaves the destination as it was: no directory where there was none, no new weights beside old metadata.
 *
 * <p>A missing destination is staged as a hidden sibling and renamed into place in one step. An existing one (empty,
 * or a previous export; it may be a mount point, which cannot be renamed) is staged inside itself, on its own file
 * system, and published file by file with the marker file removed first and moved in last: a reader that finds the
 * marker finds a complete export. What a killed export staged inside a destination is removed by the next export there.
 */
final class StagedExport implements AutoCloseable {
    private static final String STAGING_PREFIX = ".export-staging-";

    private final Path destination;
    private final Path staging;
    private final String marker;
    private final Predicate<String> ownFile;
    private final boolean destinationExisted;
    private boolean published;

    private StagedExport(Path destination, Path staging, String marker, Predicate<String> ownFile, boolean existed) {
        this.destination = destination;
        this.staging = staging;
        this.marker = marker;
        this.ownFile = ownFile;
        this.destinationExisted = existed;
    }

    /**
     * Starts an export into {@code destination}, whose own files are those {@code ownFile} accepts and whose
     * completeness {@code marker} (a file name) marks.
     *
     * @throws ModelExportException if the destination is a file or a directory holding files of anything else
     */
    static StagedExport into(Path destination, String marker, Predicate<String> ownFile) throws IOException {
        Path target = destination.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            List<String> foreign = foreignFiles(target, ownFile);
            if (!foreign.isEmpty()) {
                throw new ModelExportException(target + " holds files that are not an exported model (" + String.join(
                    ", ", foreign.subList(0, Math.min(5, foreign.size()))) + "): export into a new or empty "
                    + "directory, or one that holds an earlier export to replace");
            }
            return new StagedExport(target, Files.createTempDirectory(target, STAGING_PREFIX), marker, ownFile, true);
        }
        if (Files.exists(target)) {
            throw new ModelExportException(target + " exists and is not a directory");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + STAGING_PREFIX);
        return new StagedExport(target, staging, marker, ownFile, false);
    }

    /** Where to write the export's files. */
    Path path() {
        return staging;
    }

    /** Puts the staged files in place; a reader sees the marker only once every other file is there. */
    void publish() throws IOException {
        if (!Files.exists(staging.resolve(marker))) {
            throw new IllegalStateException("the export has no " + marker + " to publish");
        }
        if (!destinationExisted) {
            Files.move(staging, destination, StandardCopyOption.ATOMIC_MOVE);
            published = true;
            return;
        }
        Files.deleteIfExists(destination.resolve(marker));
        List<Path> staged = list(staging);
        for (Path old : list(destination)) {
            String name = old.getFileName().toString();
            if (old.equals(staging)) {
                continue;
            }
            if (name.startsWith(STAGING_PREFIX)) {
                deleteTree(old);
            } else if (!Files.exists(staging.resolve(name))) {
                Files.delete(old);
            }
        }
        for (Path file : staged) {
            if (!file.getFileName().toString().equals(marker)) {
                moveInto(file);
            }
        }
        moveInto(staging.resolve(marker));
        Files.delete(staging);
        published = true;
    }

    private void moveInto(Path file) throws IOException {
        Files.move(file, destination.resolve(file.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes whatever an unpublished export staged. */
    @Override
    public void close() {
        if (published || !Files.exists(staging)) {
            return;
        }
        try {
            deleteTree(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the unfinished export at " + staging, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static List<String> foreignFiles(Path directory, Predicate<String> ownFile) throws IOException {
        List<String> foreign = new ArrayList<>();
        for (Path path : list(directory)) {
            String name = path.getFileName().toString();
            boolean leftover = name.startsWith(STAGING_PREFIX) && Files.isDirectory(path);
            if (!leftover && (!ownFile.test(name) || !Files.isRegularFile(path))) {
                foreign.add(name);
            }
        }
        return foreign;
    }

    private static List<Path> list(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        entries.sort(Comparator.naturalOrder());
        return entries;
    }
}
