package dev.trainstream.ingest.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.utils.IOUtils;

/**
 * The files of a dataset, one (relative path, bytes) at a time, whether it is an extracted folder or a
 * {@code .tar.gz}; so each format reader handles one layout, not two, and never holds the whole archive. A corrupt
 * or truncated archive fails here, naming the archive. A file larger than {@link ReadLimits#maxFileBytes()} is
 * refused by its size (the tar header's, or the file system's) before a byte of it is read.
 */
final class ArchiveEntries {
    private ArchiveEntries() {
    }

    /** Takes one file; a {@link DatasetException} stops the walk at once, so a malformed file ends the read there. */
    @FunctionalInterface
    interface EntryHandler {
        void accept(String path, byte[] bytes) throws DatasetException;
    }

    /**
     * Hands each regular file accepted by {@code wanted} (relative path with '/' separators) to {@code entry} as soon
     * as it is read, in archive (or sorted folder) order, so a caller can work on the first files while the rest are
     * still being read. A handler's {@link DatasetException} is thrown from here unchanged, and nothing after that file
     * is read.
     */
    static void forEach(Path location, Predicate<String> wanted, long maxFileBytes, EntryHandler entry)
        throws DatasetException {
        if (!Files.exists(location)) {
            throw new DatasetException("dataset not found: " + location);
        }
        if (Files.isDirectory(location)) {
            readFolder(location, wanted, maxFileBytes, entry);
            return;
        }
        String name = location.getFileName().toString();
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            readTarGz(location, wanted, maxFileBytes, entry);
            return;
        }
        throw new DatasetException("unsupported dataset file " + location + ": expected a folder or a .tar.gz archive");
    }

    private static void readFolder(Path root, Predicate<String> wanted, long maxFileBytes, EntryHandler out)
        throws DatasetException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String rel = root.relativize(file).toString().replace('\\', '/');
                if (Files.isRegularFile(file) && wanted.test(rel)) {
                    requireReadable(root, rel, Files.size(file), maxFileBytes);
                    out.accept(rel, Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read dataset folder " + root + ": " + IoCause.of(e), e);
        }
    }

    private static void requireReadable(Path location, String rel, long size, long maxFileBytes)
        throws DatasetException {
        if (size > maxFileBytes) {
            throw new DatasetException("file " + rel + " in " + location + " is " + size + " bytes, more than the "
                + maxFileBytes + " a dataset file may have (--max-file-mib)");
        }
    }

    private static void readTarGz(Path archive, Predicate<String> wanted, long maxFileBytes, EntryHandler out)
        throws DatasetException {
        boolean any = false;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             GzipCompressorInputStream gzip = new GzipCompressorInputStream(file);
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String rel = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (entry.isFile() && wanted.test(rel)) {
                    requireReadable(archive, rel, entry.getSize(), maxFileBytes);
                    // Read straight into an array of the entry's size (the header's, checked above), not through
                    // readAllBytes' chunks and final copy: the 30 MB CIFAR-10 files are copied once, not twice.
                    byte[] data = new byte[(int) entry.getSize()];
                    int read = IOUtils.readFully(tar, data);
                    if (read != data.length || tar.read() != -1) {
                        throw new DatasetException("archive " + archive + " is truncated in entry " + rel + " ("
                            + read + " of " + entry.getSize() + " bytes)");
                    }
                    out.accept(rel, data);
                    any = true;
                }
            }
        } catch (IOException e) {
            throw new DatasetException("archive " + archive + " is corrupt or truncated: " + IoCause.of(e), e);
        }
        if (!any) {
            throw new DatasetException("archive " + archive + " contains no dataset files");
        }
    }
}
