package dev.trainstream.engine.data;

import java.util.Optional;

/** A (possibly blocking) supplier of raw training batches, e.g. a Kafka consumer fetching shards from S3. */
@FunctionalInterface
public interface BatchSource {

    /**
     * Blocks until the next batch is available.
     *
     * @return the next batch, or empty when the source is exhausted
     * @throws Exception when the batch cannot be produced; the pipeline hands it to the training thread
     */
    Optional<LabeledImages> next() throws Exception;
}
