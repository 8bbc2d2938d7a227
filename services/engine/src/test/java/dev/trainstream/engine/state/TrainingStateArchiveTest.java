package dev.trainstream.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.engine.model.ModelOptions;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.training.TrainingConfig;
import dev.trainstream.engine.training.TrainingSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The single-stream state format round-trips and rejects corrupt or incompatible input with a clear exception. */
class TrainingStateArchiveTest {

    private static final ModelOptions MODEL = ModelOptions.builder().optWidthMultiplier(0.25).optResolution(16).build();
    private static final TrainingConfig CONFIG = TrainingConfig.builder().setTotalSteps(10).build();

    private static SavedState state(List<TensorRecord> parameters) {
        return new SavedState(MODEL, CONFIG, 7, 1, List.of("momentum"), parameters,
                List.of(new TensorRecord("a#momentum", new long[] {2}, new float[] {0.5f, -0.5f})),
                Map.of("djl", "test"));
    }

    @Test
    void givenState_whenWrittenAndRead_thenEqual() throws IOException {
        SavedState original = state(List.of(new TensorRecord("a", new long[] {2}, new float[] {1f, Float.MIN_VALUE})));

        SavedState read = TrainingStateArchive.read(new ByteArrayInputStream(TrainingStateArchive.toBytes(original)));

        assertThat(read).isEqualTo(original);
    }

    @Test
    void givenTruncatedOrFlippedBytes_whenRead_thenIncompatibleStateException() throws IOException {
        byte[] bytes = TrainingStateArchive.toBytes(state(List.of(
                new TensorRecord("a", new long[] {256}, new float[256]))));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 3] ^= 0x5A;

        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream(truncated)))
                .isInstanceOf(IncompatibleStateException.class);
        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream(flipped)))
                .isInstanceOf(IncompatibleStateException.class);
        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream("not a zip".getBytes())))
                .isInstanceOf(IncompatibleStateException.class).hasMessageContaining("lacks entry");
    }

    @Test
    void givenANewerFormatVersion_whenRead_thenUnsupportedNamingTheVersionAndAnOlderOneIsMerelyIncompatible()
            throws IOException {
        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream(stateOfVersion(99))))
                .isInstanceOf(UnsupportedStateVersionException.class).hasMessageContaining("format version 99")
                .hasMessageContaining("newer than this build reads");
        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream(stateOfVersion(0))))
                .isInstanceOf(IncompatibleStateException.class).hasMessageContaining("format version 0")
                .isNotInstanceOf(UnsupportedStateVersionException.class);
    }

    private static byte[] stateOfVersion(int version) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : List.of("state.json", "parameters.bin", "optimizer.bin")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(("{\"formatVersion\": " + version + "}").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void givenStateWhoseParametersDoNotFitTheNetwork_whenRestored_thenRejectedNamingTheParameter() throws IOException {
        byte[] saved;
        try (TrainingSession session = TrainingSession.create(MODEL, CONFIG, EngineOptions.cpu(1))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            session.save(out);
            saved = out.toByteArray();
        }
        SavedState good = TrainingStateArchive.read(new ByteArrayInputStream(saved));
        List<TensorRecord> reshaped = good.parameters().stream()
                .map(t -> t.name().equals("conv1.weight") ? new TensorRecord(t.name(), new long[] {t.values().length},
                        t.values()) : t)
                .toList();
        List<TensorRecord> missing = good.parameters().subList(1, good.parameters().size());

        for (List<TensorRecord> parameters : List.of(reshaped, missing)) {
            SavedState bad = new SavedState(good.model(), good.config(), good.globalStep(), good.epoch(),
                    good.optimizerStateNames(), parameters, good.optimizerState(), good.provenance());
            assertThatThrownBy(() -> TrainingSession.restore(
                    new ByteArrayInputStream(TrainingStateArchive.toBytes(bad)), EngineOptions.cpu(1)))
                    .isInstanceOf(IncompatibleStateException.class).hasMessageContaining("conv1.weight");
        }
    }

    @Test
    void givenAZipBombAsATensorEntry_whenRead_thenRefusedAfterAFewMegabytesNamingTheEntry() throws IOException {
        // 512 MB of zeros deflate to ~0.5 MB: read in full it would take half a GB of heap (a larger one, all of it).
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            zip.putNextEntry(new ZipEntry(TrainingStateArchive.STATE_ENTRY));
            zip.write("{\"formatVersion\":1}".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(TrainingStateArchive.PARAMETERS_ENTRY));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 512; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertThat(bomb.size()).isLessThan(1 << 20);

        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream(bomb.toByteArray())))
            .isInstanceOf(IncompatibleStateException.class)
            .hasMessageContaining(TrainingStateArchive.PARAMETERS_ENTRY).hasMessageContaining("zip bomb");
    }

    @Test
    void givenMoreEntriesThanAnyFormatHas_whenRead_thenRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < 20; i++) {
                zip.putNextEntry(new ZipEntry("extra-" + i));
                zip.write(1);
                zip.closeEntry();
            }
        }

        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream(out.toByteArray())))
            .isInstanceOf(IncompatibleStateException.class).hasMessageContaining("extra entry");
    }

    @Test
    void givenAnEntryNameThatIsNotUtf8_whenRead_thenIncompatibleNotARuntimeException() throws IOException {
        // Found by TrainingStateFuzzTest: the JDK's zip reader throws IllegalArgumentException for such a name,
        // which callers took for an engine failure (retried, then the evaluator exited: a crash loop).
        byte[] finding;
        try (var in = getClass().getResourceAsStream("TrainingStateFuzzTestInputs/read/finding-entry-name-not-utf8")) {
            finding = in.readAllBytes();
        }

        assertThatThrownBy(() -> TrainingStateArchive.read(new ByteArrayInputStream(finding)))
            .isInstanceOf(IncompatibleStateException.class).hasMessageContaining("malformed entry name");
    }
}
