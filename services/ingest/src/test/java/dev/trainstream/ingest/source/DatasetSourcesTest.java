package dev.trainstream.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.storage.dataset.ImageShape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source reads good data exactly and rejects bad data with a message naming the file or record. */
class DatasetSourcesTest {
    @TempDir
    Path dir;

    @Test
    void givenCifarBinaryArchiveAndFolder_whenLoaded_thenBothGiveTheSameRecords() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(12);
        LoadedDataset fromTar = new Cifar10Binary(DatasetFixtures.writeTarGz(dir.resolve("c.tar.gz"), files), "x").load();
        LoadedDataset fromFolder = new Cifar10Binary(DatasetFixtures.writeFolder(dir.resolve("f"), files), "x").load();

        assertThat(fromTar.classes()).hasSize(10).startsWith("airplane");
        assertThat(fromTar.train().count()).isEqualTo(60);
        assertThat(fromTar.test().count()).isEqualTo(12);
        assertThat(fromTar.train()).isEqualTo(fromFolder.train());
        // Record 0 of data_batch_1: label 0, pixel bytes follow the label byte unchanged (CHW).
        byte[] raw = files.get("cifar-10-batches-bin/data_batch_1.bin");
        assertThat(Arrays.copyOfRange(fromTar.train().pixels(), 0, 3072)).isEqualTo(Arrays.copyOfRange(raw, 1, 3073));
    }

    @Test
    void givenRecordFileOfWrongSize_whenLoaded_thenErrorNamesTheFile() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(3);
        files.put("cifar-10-batches-bin/data_batch_3.bin", new byte[3073 * 2 + 100]);
        Path folder = DatasetFixtures.writeFolder(dir.resolve("f"), files);
        assertThatThrownBy(() -> new Cifar10Binary(folder, "x").load()).isInstanceOf(DatasetException.class)
            .hasMessageContaining("data_batch_3.bin").hasMessageContaining("3073");
    }

    @Test
    void givenLabelOutsideClassList_whenLoaded_thenErrorNamesFileAndRecord() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(3);
        byte[] test = files.get("cifar-10-batches-bin/test_batch.bin");
        test[3073 * 2] = 42;
        Path folder = DatasetFixtures.writeFolder(dir.resolve("f"), files);
        assertThatThrownBy(() -> new Cifar10Binary(folder, "x").load()).isInstanceOf(DatasetException.class)
            .hasMessageContaining("test_batch.bin record 2").hasMessageContaining("label 42");
    }

    @Test
    void givenAnArchiveListingTheClassFileLast_whenLoaded_thenRecordsMatchTheFolderAndLabelsAreStillChecked()
        throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(4);
        Map<String, byte[]> metaLast = new LinkedHashMap<>(files);
        metaLast.put("cifar-10-batches-bin/batches.meta.txt", metaLast.remove("cifar-10-batches-bin/batches.meta.txt"));
        LoadedDataset fromTar = new Cifar10Binary(DatasetFixtures.writeTarGz(dir.resolve("last.tar.gz"), metaLast), "x")
            .load();
        LoadedDataset fromFolder = new Cifar10Binary(DatasetFixtures.writeFolder(dir.resolve("f"), files), "x").load();
        assertThat(fromTar.train()).isEqualTo(fromFolder.train());
        assertThat(fromTar.test()).isEqualTo(fromFolder.test());

        metaLast.get("cifar-10-batches-bin/data_batch_2.bin")[3073] = 42;
        Path bad = DatasetFixtures.writeTarGz(dir.resolve("bad-label.tar.gz"), metaLast);
        assertThatThrownBy(() -> new Cifar10Binary(bad, "x").load()).isInstanceOf(DatasetException.class)
            .hasMessageContaining("data_batch_2.bin record 1").hasMessageContaining("label 42");
    }

    @Test
    void givenAScrambledArchive_whenStreamed_thenEachFileIsHandedOverAsSoonAsItsPredecessorsAreInCanonicalOrder()
        throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(3);
        Map<String, byte[]> scrambled = new LinkedHashMap<>();
        for (String name : List.of("data_batch_1.bin", "data_batch_3.bin", "test_batch.bin", "data_batch_2.bin",
            "data_batch_5.bin", "data_batch_4.bin", "batches.meta.txt")) {
            scrambled.put("cifar-10-batches-bin/" + name, files.get("cifar-10-batches-bin/" + name));
        }
        List<String> handed = new ArrayList<>();
        Cifar10Binary source = new Cifar10Binary(DatasetFixtures.writeTarGz(dir.resolve("scr.tar.gz"), scrambled), "x");
        LoadedDataset whole = source.load();

        StreamingSource.Streamed streamed = source.stream((split, block) -> handed.add(split + ":"
            + Arrays.hashCode(block.pixels())));

        // batch 1 at once; batch 3 waits for 2; the test split does not wait for the train split.
        List<String> expected = new ArrayList<>();
        for (String name : List.of("data_batch_1.bin", "test_batch.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin")) {
            byte[] raw = files.get("cifar-10-batches-bin/" + name);
            byte[] pixels = new byte[3 * 3072];
            for (int r = 0; r < 3; r++) {
                System.arraycopy(raw, r * 3073 + 1, pixels, r * 3072, 3072);
            }
            expected.add((name.startsWith("test") ? "TEST" : "TRAIN") + ":" + Arrays.hashCode(pixels));
        }
        assertThat(handed).isEqualTo(expected);
        assertThat(streamed.classes()).isEqualTo(whole.classes());
    }

    @Test
    void givenABadLabelAndTheClassFileLast_whenStreamed_thenRecordsWereHandedOverBeforeTheCheckThatFails()
        throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(2);
        files.get("cifar-10-batches-bin/test_batch.bin")[3073] = 10;
        Map<String, byte[]> metaLast = new LinkedHashMap<>(files);
        metaLast.put("cifar-10-batches-bin/batches.meta.txt", metaLast.remove("cifar-10-batches-bin/batches.meta.txt"));
        List<RecordSink.Split> handed = new ArrayList<>();
        Cifar10Binary source = new Cifar10Binary(DatasetFixtures.writeTarGz(dir.resolve("ml.tar.gz"), metaLast), "x");

        assertThatThrownBy(() -> source.stream((split, block) -> handed.add(split)))
            .isInstanceOf(DatasetException.class).hasMessageContaining("test_batch.bin record 1")
            .hasMessageContaining("label 10");
        assertThat(handed).hasSize(6);
    }

    @Test
    void givenTwoCopiesOfABatchFile_whenLoaded_thenErrorNamesBothRatherThanPickingOne() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(2);
        files.put("old/cifar-10-batches-bin/data_batch_4.bin", DatasetFixtures.records(2, 99));
        Path folder = DatasetFixtures.writeFolder(dir.resolve("f"), files);
        assertThatThrownBy(() -> new Cifar10Binary(folder, "x").load()).isInstanceOf(DatasetException.class)
            .hasMessageContaining("data_batch_4.bin twice")
            .hasMessageContaining("(cifar-10-batches-bin/data_batch_4.bin and old/cifar-10-batches-bin/data_batch_4.bin)");
    }

    @Test
    void givenAMalformedFileEarlyInADamagedArchive_whenLoaded_thenReadingStopsThereAndTheErrorNamesThatFile()
        throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(40);
        files.put("cifar-10-batches-bin/data_batch_1.bin", new byte[3073 * 2 + 100]);
        byte[] archive = Files.readAllBytes(DatasetFixtures.writeTarGz(dir.resolve("whole.tar.gz"), files));
        // The end of the archive is cut off: a reader that went on past the malformed file would report that instead.
        Path damaged = Files.write(dir.resolve("damaged.tar.gz"), Arrays.copyOf(archive, archive.length - 64));

        assertThatThrownBy(() -> new Cifar10Binary(damaged, "x").load()).isInstanceOf(DatasetException.class)
            .hasMessageStartingWith("data_batch_1.bin in ").hasMessageContaining("3073-byte record size");
    }

    @Test
    void givenCorruptOrTruncatedArchive_whenLoaded_thenErrorNamesTheArchive() throws Exception {
        Path good = DatasetFixtures.writeTarGz(dir.resolve("good.tar.gz"), DatasetFixtures.cifarFiles(3));
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.tar.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = Files.write(dir.resolve("garbage.tar.gz"), "not gzip".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new Cifar10Binary(truncated, "x").load()).isInstanceOf(DatasetException.class)
            .hasMessageContaining("truncated.tar.gz").hasMessageEndingWith("the data ends early (EOFException)");
        assertThatThrownBy(() -> new Cifar10Binary(garbage, "x").load()).isInstanceOf(DatasetException.class)
            .hasMessageContaining("garbage.tar.gz");
    }

    @Test
    void givenMissingBatchFile_whenLoaded_thenErrorSaysWhichFile() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.cifarFiles(3);
        files.remove("cifar-10-batches-bin/data_batch_5.bin");
        Path folder = DatasetFixtures.writeFolder(dir.resolve("f"), files);
        assertThatThrownBy(() -> new Cifar10Binary(folder, "x").load()).hasMessageContaining("data_batch_5.bin");
    }

    @Test
    void givenImageFolder_whenLoaded_thenClassesAreSortedFoldersAndPixelsAreChw() throws Exception {
        Path root = DatasetFixtures.writeFolder(dir.resolve("imgs"), DatasetFixtures.imageFolderFiles(3));
        LoadedDataset data = new ImageFolder(root, ImageShape.cifar(), true, "x").load();
        assertThat(data.classes()).containsExactly("cats", "dogs");
        assertThat(data.train().count()).isEqualTo(6);
        assertThat(data.test().labels()).containsExactly(0, 1);
        // test/cats/c.png is solid 0xAA0000: R plane 0xAA, G and B planes 0.
        assertThat(Byte.toUnsignedInt(data.test().pixels()[0])).isEqualTo(0xAA);
        assertThat(data.test().pixels()[1024]).isZero();
    }

    @Test
    void givenImageFolderAsTarGz_whenLoaded_thenSameAsFolder() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(2);
        LoadedDataset tar = new ImageFolder(DatasetFixtures.writeTarGz(dir.resolve("i.tar.gz"), files), ImageShape.cifar(),
            true, "x").load();
        LoadedDataset folder = new ImageFolder(DatasetFixtures.writeFolder(dir.resolve("i"), files), ImageShape.cifar(),
            true, "x").load();
        assertThat(tar.train()).isEqualTo(folder.train());
    }

    @Test
    void givenWronglySizedImage_whenRejectingOrResizing_thenErrorOrResized() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(1);
        files.put("train/cats/big.png", DatasetFixtures.png(64, 48, 0x00FF00));
        Path root = DatasetFixtures.writeFolder(dir.resolve("imgs"), files);
        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), true, "x").load())
            .hasMessageContaining("big.png").hasMessageContaining("64x48");
        assertThat(new ImageFolder(root, ImageShape.cifar(), false, "x").load().train().count()).isEqualTo(3);
    }

    @Test
    void givenUnreadableImage_whenLoaded_thenErrorNamesIt() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(1);
        files.put("train/dogs/broken.jpg", "definitely not a jpeg".getBytes(StandardCharsets.UTF_8));
        Path root = DatasetFixtures.writeFolder(dir.resolve("imgs"), files);
        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), true, "x").load())
            .isInstanceOf(DatasetException.class).hasMessageContaining("broken.jpg");
    }

    @Test
    void givenTestClassUnknownToTrain_whenLoaded_thenErrorNamesTheClass() throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(1);
        files.put("test/horses/h.png", DatasetFixtures.png(32, 32, 1));
        Path root = DatasetFixtures.writeFolder(dir.resolve("imgs"), files);
        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), true, "x").load())
            .hasMessageContaining("horses");
    }

    @Test
    void givenWhatOtherToolsLeaveInAUsersTree_whenLoaded_thenOnlyTheVisibleClassFoldersImagesAreData()
        throws Exception {
        Map<String, byte[]> files = DatasetFixtures.imageFolderFiles(2);
        byte[] junk = "not an image".getBytes(StandardCharsets.UTF_8);
        files.put("README.txt", junk);
        files.put("train/README.txt", junk);
        files.put("train/cats/.DS_Store", junk);
        files.put("train/cats/._a0.png", junk);
        files.put("train/.ipynb_checkpoints/a-checkpoint.png", DatasetFixtures.png(32, 32, 5));
        files.put("test/dogs/Thumbs.db", junk);
        LoadedDataset expected = new ImageFolder(DatasetFixtures.writeFolder(dir.resolve("clean"),
            DatasetFixtures.imageFolderFiles(2)), ImageShape.cifar(), true, "x").load();

        for (Path root : List.of(DatasetFixtures.writeFolder(dir.resolve("cluttered"), files),
            DatasetFixtures.writeTarGz(dir.resolve("cluttered.tar.gz"), files))) {
            LoadedDataset data = new ImageFolder(root, ImageShape.cifar(), true, "x").load();
            assertThat(data.classes()).as(root.toString()).containsExactly("cats", "dogs");
            assertThat(data.train()).isEqualTo(expected.train());
            assertThat(data.test()).isEqualTo(expected.test());
        }
    }

    @Test
    void givenEmptyClassFolder_whenLoaded_thenErrorNamesTheFolder() throws Exception {
        Path root = DatasetFixtures.writeFolder(dir.resolve("imgs"), DatasetFixtures.imageFolderFiles(1));
        Files.createDirectories(root.resolve("train/birds"));
        Files.createDirectories(root.resolve("test/birds"));
        Files.write(root.resolve("test/birds/b.png"), DatasetFixtures.png(32, 32, 3));
        assertThatThrownBy(() -> new ImageFolder(root, ImageShape.cifar(), true, "x").load())
            .hasMessageContaining("train/birds is empty");
    }

    @Test
    void givenSyntheticSeed_whenGeneratedTwice_thenIdenticalAndAllClassesPresent() {
        LoadedDataset a = new SyntheticDataset(500, 100, 7).load();
        LoadedDataset b = new SyntheticDataset(500, 100, 7).load();
        LoadedDataset c = new SyntheticDataset(500, 100, 8).load();
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.train()).isNotEqualTo(c.train());
        assertThat(Arrays.stream(a.train().labels()).distinct().count()).isEqualTo(10);
    }
}
