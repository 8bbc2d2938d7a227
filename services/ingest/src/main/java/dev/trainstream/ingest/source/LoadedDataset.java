package dev.trainstream.ingest.source;

import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.Shard;
import java.util.List;

/** A dataset read fully into memory in the internal form: class names, train and test records, provenance. */
public record LoadedDataset(List<String> classes, Shard train, Shard test, DatasetManifest.Source source) {
    public LoadedDataset {
        classes = List.copyOf(classes);
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("dataset has no classes");
        }
        if (!train.shape().equals(test.shape())) {
            throw new IllegalArgumentException("train images are " + train.shape() + " but test images are " + test.shape());
        }
        for (Shard split : List.of(train, test)) {
            for (int i = 0; i < split.count(); i++) {
                if (split.labels()[i] >= classes.size()) {
                    throw new IllegalArgumentException("record " + i + " has label " + split.labels()[i]
                        + " outside the " + classes.size() + " classes");
                }
            }
        }
    }
}
