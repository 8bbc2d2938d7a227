package dev.trainstream.launcher;

import dev.trainstream.ingest.IngestSettings;
import dev.trainstream.ops.config.Setting;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code ingest --dataset-id}: more epochs of a stored dataset; the ingest command's alone ({@code up} reads a source). */
final class StoredDatasetOption implements SettingsBacked {
    @Option(names = "--dataset-id", paramLabel = "ID")
    String datasetId;

    @Override
    public List<Setting> settings() {
        return List.of(IngestSettings.DATASET_ID);
    }
}
