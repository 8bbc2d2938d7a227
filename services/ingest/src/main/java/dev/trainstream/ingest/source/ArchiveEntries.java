package dev.trainstream.ingest.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The files of a dataset as (relative path → bytes), whether it is an extracted folder or a {@code .tar.gz}; so each
 * format reader handles one layout, not two. A corrupt or truncated archive fails here, naming the archive.
 */
final class ArchiveEntries {
    private ArchiveEntries() {
    }

    /** Reads regular files accepted by {@code wanted} (relative path with '/' separators). */
    static Map<String, byte[]> read(Path location, Predicate<String> wanted) throws DatasetException {
        if (!Files.exists(location)) {
            throw new DatasetException("dataset not found: " + location);
        }
        if (Files.isDirectory(location)) {
            return readFolder(location, wanted);
        }
        String name = location.getFileName().toString();
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return readTarGz(location, wanted);
        }
        throw new DatasetException("unsupported dataset file " + location + ": expected a folder or a .tar.gz archive");
    }

    private static Map<String, byte[]> readFolder(Path root, Predicate<String> wanted) throws DatasetException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String rel = root.relativize(file).toString().replace('\\', '/');
                if (Files.isRegularFile(file) && wanted.test(rel)) {
                    out.put(rel, Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read dataset folder " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Map<String, byte[]> readTarGz(Path archive, Predicate<String> wanted) throws DatasetException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             GzipCompressorInputStream gzip = new GzipCompressorInputStream(file);
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String rel = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                if (entry.isFile() && wanted.test(rel)) {
                    byte[] data = tar.readAllBytes();
                    if (data.length != entry.getSize()) {
                        throw new DatasetException("archive " + archive + " is truncated in entry " + rel + " ("
                            + data.length + " of " + entry.getSize() + " bytes)");
                    }
                    out.put(rel, data);
                }
            }
        } catch (IOException e) {
            throw new DatasetException("archive " + archive + " is corrupt or truncated: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new DatasetException("archive " + archive + " contains no dataset files");
        }
        return out;
    }
}
