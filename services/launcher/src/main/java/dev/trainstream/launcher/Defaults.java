package dev.trainstream.launcher;

/**
 * Every configuration default, in one place. Options reference these constants, {@code --help} prints them, and the
 * deployment manifests are checked against the variables they are read from.
 */
final class Defaults {
    /** A broker on this machine: the docker-compose port mapping and a developer's local Kafka. */
    static final String KAFKA_BOOTSTRAP = "127.0.0.1:9092";
    /** MinIO's default API port on this machine. */
    static final String S3_ENDPOINT = "http://127.0.0.1:9000";
    static final String S3_BUCKET = "trainstream";
    /** MinIO ignores the region; AWS needs one, and us-east-1 is the SDK's default. */
    static final String S3_REGION = "us-east-1";
    static final String HTTP_PORT = "8080";
    /** 1 for single-broker setups; set 3 on a production cluster. */
    static final String TOPIC_REPLICATION = "1";
    /** The official CIFAR-10 binary archive. */
    static final String DATASET = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    static final String CACHE_DIR = "${sys:user.home}/.cache/trainstream";
    /** The reference recipe: 10 epochs of batch 128. */
    static final String EPOCHS = "10";
    static final String BATCH_SIZE = "128";
    static final String SEED = "42";
    /** Shards of 2,500 CIFAR images are ~7.7 MB: big enough for efficient PUTs, small enough to cache. */
    static final String RECORDS_PER_SHARD = "2500";
    static final String PARALLEL_UPLOADS = "4";
    /**
     * 0 = unbounded: an epoch of CIFAR-10 is ~400 batch references of a few KB (~1 MB), and the batches topic's
     * retention (a week) bounds the backlog; set K to keep ingest within K epochs of the slowest trainer.
     */
    static final String MAX_EPOCHS_AHEAD = "0";
    /** Every trainer run's consumer group is trainstream-trainer-&lt;run id&gt;. */
    static final String TRAINER_GROUP_PREFIX = "trainstream-trainer-";
    /** IngestConfig.Backpressure.STALE_AFTER: an hour without a checkpoint commit is an abandoned run. */
    static final String TRAINER_STALE_AFTER_MINUTES = "60";
    static final String WIDTH_MULTIPLIER = "1.0";
    static final String OPTIMIZER = "SGD";
    static final String ACTIVATION = "RELU";
    static final String METRICS_EVERY_STEPS = "20";
    /** 0: checkpoint at every epoch end (and at the end), not by step count. */
    static final String CHECKPOINT_EVERY_STEPS = "0";
    static final String KEEP_CHECKPOINTS = "3";
    /** 0 = one libtorch thread per core. */
    static final String THREADS = "0";
    static final String DEVICE = "auto";
    static final String PREFETCH = "8";
    static final String SHARD_CACHE_MB = "1024";
    /** Long enough to finish a step and write a checkpoint of the full-width model. */
    static final String GRACE_SECONDS = "120";
    static final String EVAL_BATCH_SIZE = "256";
    static final String GATE_MIN_ACCURACY = "0.0";
    static final String GATE_MIN_IMPROVEMENT = "0.0";
    static final String EVAL_TTA = "none";
    static final String EVALUATOR_GROUP = "trainstream-evaluator";

    private Defaults() {
    }
}
