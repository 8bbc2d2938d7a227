package dev.trainstream.ingest.publish;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The epochs of one dataset that are durably on the batches topic (committed markers), and the batch size they were
 * cut with: what a new ingest continues from, and what backpressure compares the trainers' offsets with.
 *
 * @param markers   committed markers in offset order (an epoch published twice by an older ingest appears twice)
 * @param batchSize batch size of the dataset's committed batch references; empty when none is on the topic
 */
public record PublishedEpochs(String datasetId, List<EpochMarker> markers, OptionalInt batchSize) {
    public PublishedEpochs {
        if (datasetId == null || datasetId.isBlank()) {
            throw new IllegalArgumentException("dataset id must be set");
        }
        markers = markers.stream().sorted(Comparator.comparingInt(EpochMarker::partition)
            .thenComparingLong(EpochMarker::offset)).toList();
        if (batchSize == null) {
            throw new IllegalArgumentException("batch size must be given (OptionalInt.empty() for none)");
        }
    }

    /** Nothing published yet. */
    public static PublishedEpochs none(String datasetId) {
        return new PublishedEpochs(datasetId, List.of(), OptionalInt.empty());
    }

    /** The epoch a new ingest publishes first: one past the highest committed epoch, 0 when there is none. */
    public int nextEpoch() {
        return markers.stream().mapToInt(EpochMarker::epoch).max().orElse(-1) + 1;
    }

    /** The newest committed marker of {@code epoch} (the last one a trainer has to pass), if it is on the topic. */
    public Optional<EpochMarker> marker(int epoch) {
        return markers.stream().filter(m -> m.epoch() == epoch).reduce((first, second) -> second);
    }

    /** These epochs plus one just committed with {@code batchSize}. */
    public PublishedEpochs with(EpochMarker marker, int batchSize) {
        return new PublishedEpochs(datasetId, Stream.concat(markers.stream(), Stream.of(marker)).toList(),
            OptionalInt.of(batchSize));
    }
}
