package dev.trainstream.events.consume;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * What a trainer writes into the metadata of every offset it commits: which run committed and when. Kafka keeps a
 * commit's timestamp on the broker but no client API returns it, so this is how a reader of committed offsets (ingest's
 * backpressure, {@code trainstream status}) tells a run that is still checkpointing from one that was abandoned.
 *
 * <p>Encoded as {@code trainstream-commit/1 at=<ISO-8601 instant> run=<run id>} (the run id last, so it may hold any
 * character); well under Kafka's 4 KB {@code offset.metadata.max.bytes} for any run id a group id allows.
 *
 * @param committedAt when the committing process says it committed (its clock, not the broker's)
 * @param runId       the trainer run whose group committed
 */
public record CommitStamp(Instant committedAt, String runId) {
    static final String PREFIX = "trainstream-commit/1 at=";
    private static final String RUN = " run=";

    public CommitStamp {
        Objects.requireNonNull(committedAt, "committedAt");
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("a commit stamp needs the run id, was '" + runId + "'");
        }
    }

    /** The string to pass as {@code OffsetAndMetadata}'s metadata. */
    public String encode() {
        return PREFIX + committedAt + RUN + runId;
    }

    /**
     * The stamp in a committed offset's metadata; empty when the metadata is not a well-formed stamp (written by
     * another application, by a trainer from before stamps, or by hand), in which case the commit's age is unknown.
     */
    public static Optional<CommitStamp> parse(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int run = metadata.indexOf(RUN, PREFIX.length());
        if (run < 0 || run + RUN.length() == metadata.length()) {
            return Optional.empty();
        }
        try {
            Instant at = Instant.parse(metadata.substring(PREFIX.length(), run));
            return Optional.of(new CommitStamp(at, metadata.substring(run + RUN.length())));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** How long before {@code now} the commit was made (negative when the committer's clock is ahead). */
    public Duration age(Instant now) {
        return Duration.between(committedAt, now);
    }
}
