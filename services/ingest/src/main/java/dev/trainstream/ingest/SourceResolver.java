package dev.trainstream.ingest;

import dev.trainstream.ingest.source.CachedDownload;
import dev.trainstream.ingest.source.Cifar10Binary;
import dev.trainstream.ingest.source.DatasetException;
import dev.trainstream.ingest.source.DatasetSource;
import dev.trainstream.ingest.source.ImageFolder;
import dev.trainstream.ingest.source.IoCause;
import dev.trainstream.ingest.source.ReadLimits;
import dev.trainstream.ingest.source.SyntheticDataset;
import dev.trainstream.storage.dataset.ImageShape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Turns a configured dataset location into a reader: downloads if needed and tells CIFAR-10 binary from ImageFolder. */
final class SourceResolver {
    private SourceResolver() {
    }

    static DatasetSource resolve(IngestConfig config) throws DatasetException {
        IngestConfig.DatasetLocation location = config.dataset();
        if (location instanceof IngestConfig.DatasetLocation.Synthetic s) {
            return new SyntheticDataset(s.trainRecords(), s.testRecords(), config.seed());
        }
        if (location instanceof IngestConfig.DatasetLocation.Download d) {
            if (d.md5() == null) {
                throw new DatasetException("download " + d.url() + " has no known MD5; only the official CIFAR-10 URL "
                    + IngestConfig.CIFAR10_URL + " can be downloaded (or pass a local path)");
            }
            Path archive = new CachedDownload(config.cacheDir()).fetch(d.url(), d.md5());
            return new Cifar10Binary(archive, "md5:" + d.md5(), config.readLimits());
        }
        if (location instanceof IngestConfig.DatasetLocation.Local local) {
            return local(local.path(), config.rejectOtherSizes(), config.readLimits());
        }
        throw new IllegalStateException(location + " is not a source to read (a stored dataset is continued, not read)");
    }

    private static DatasetSource local(Path path, boolean rejectOtherSizes, ReadLimits limits)
        throws DatasetException {
        if (!Files.exists(path)) {
            throw new DatasetException("dataset not found: " + path);
        }
        return looksLikeCifarBinary(path)
            ? new Cifar10Binary(path, "path:" + path, limits)
            : new ImageFolder(path, ImageShape.cifar(), rejectOtherSizes, "path:" + path, limits);
    }

    private static boolean looksLikeCifarBinary(Path path) throws DatasetException {
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.walk(path, 3)) {
                return files.anyMatch(p -> p.getFileName().toString().equals("batches.meta.txt"));
            } catch (IOException e) {
                throw new DatasetException("cannot read dataset folder " + path + ": " + IoCause.of(e), e);
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (name.endsWith("batches.meta.txt") || name.endsWith(".bin")) {
                    return true;
                }
                if (name.matches("(.*/)?(train|test)/[^/]+/[^/]+\\.(png|jpg|jpeg|PNG|JPG|JPEG)")) {
                    return false;
                }
            }
            return false;
        } catch (IOException e) {
            throw new DatasetException("archive " + path + " is corrupt or not a .tar.gz: " + IoCause.of(e), e);
        }
    }
}
