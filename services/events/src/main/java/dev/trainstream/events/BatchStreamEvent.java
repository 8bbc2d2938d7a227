package dev.trainstream.events;

/** Events on trainstream.batches.v1; all keyed by dataset id so one dataset's batches keep their order. */
public sealed interface BatchStreamEvent extends TrainstreamEvent permits BatchReference, EpochCompleted {

    /** The dataset this event belongs to; it is the Kafka key. */
    String datasetId();

    /** Zero-based epoch number. */
    int epoch();
}
