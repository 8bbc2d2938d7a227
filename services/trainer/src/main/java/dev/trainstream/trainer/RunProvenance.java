package dev.trainstream.trainer;

import dev.trainstream.engine.runtime.EngineInfo;
import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.events.TrainstreamVersion;
import dev.trainstream.storage.dataset.DatasetManifest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's numbers came from (code version, engine, host, dataset, and every training setting under its
 * {@link TrainerSettings} name), attached to its lifecycle events and checkpoints. The key names are defined here once.
 */
final class RunProvenance {
    static final String VERSION = "trainstream.version";
    static final String ENGINE = "engine";
    static final String JAVA = "java.version";
    static final String OS = "os";
    static final String DATASET_ID = "dataset.id";
    static final String DATASET_DIGEST = "dataset.digest";
    static final String DATASET_SOURCE = "dataset.source";
    /** Prefix of the run's settings, keyed by their flag names ({@link TrainerSettings}), e.g. setting.train-seed. */
    static final String SETTING = "setting.";

    private RunProvenance() {
    }

    /** @param manifest null before the run has seen its dataset */
    static Map<String, String> of(EngineOptions engine, DatasetManifest manifest, TrainerConfig config) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(VERSION, TrainstreamVersion.current());
        p.put(ENGINE, EngineInfo.describe(engine));
        p.put(JAVA, System.getProperty("java.version"));
        p.put(OS, System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        if (manifest != null) {
            p.put(DATASET_ID, manifest.datasetId());
            p.put(DATASET_DIGEST, manifest.contentDigest());
            p.put(DATASET_SOURCE, manifest.source().kind() + " " + manifest.source().location());
        }
        config.settingValues().forEach((name, value) -> p.put(SETTING + name, value));
        return p;
    }
}
