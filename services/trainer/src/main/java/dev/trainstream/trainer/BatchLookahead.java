package dev.trainstream.trainer;

import dev.trainstream.engine.data.PreparedBatch;
import dev.trainstream.engine.training.Lookahead;
import dev.trainstream.events.BatchReference;
import dev.trainstream.events.BatchStreamEvent;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.consume.Received;
import dev.trainstream.events.consume.TypedConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The trainer's view of the batch topic: polls on the training thread (the Kafka consumer is single-threaded), turns
 * each record into a {@link PendingItem} in offset order, and keeps up to {@code depth} of them in the engine's
 * {@link Lookahead}, whose workers fetch and prepare the batches while the step runs.
 */
final class BatchLookahead implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * Called on the training thread for each batch reference (so it may set up the session on the first); returns the
     * work a worker does to fetch and prepare it. {@code sequence} seeds its augmentation.
     */
    @FunctionalInterface
    interface Preparer {
        Callable<PreparedBatch> prepare(BatchReference batch, long sequence);
    }

    private final TypedConsumer<BatchStreamEvent> consumer;
    private final Lookahead<PendingItem> lookahead;
    private final Predicate<BatchStreamEvent> owned;
    private final Preparer preparer;
    private final BooleanSupplier stopRequested;
    private long sequence;

    /**
     * @param owned         which records belong to this run's dataset (others are skipped in place)
     * @param firstSequence batch references the run has consumed before (resume)
     */
    BatchLookahead(TypedConsumer<BatchStreamEvent> consumer, int depth, Predicate<BatchStreamEvent> owned,
                   Preparer preparer, long firstSequence, BooleanSupplier stopRequested) {
        this.consumer = consumer;
        this.lookahead = Lookahead.start(depth, Math.max(1, Math.min(4, depth)), "trainer-prefetch");
        this.owned = owned;
        this.preparer = preparer;
        this.sequence = firstSequence;
        this.stopRequested = stopRequested;
    }

    /**
     * The next record in offset order with its prepared batch (if any), keeping the look-ahead full meanwhile; empty
     * when nothing arrived within a poll or a stop was requested.
     */
    Optional<Lookahead.Ready<PendingItem>> next() throws InterruptedException {
        fill();
        if (lookahead.isEmpty()) {
            return Optional.empty();
        }
        if (lookahead.headPending() && lookahead.hasRoom()) {
            // Keep the look-ahead full while the head batch is still being fetched.
            pollOnce(Duration.ZERO);
        }
        return Optional.of(lookahead.take());
    }

    private void fill() {
        while (lookahead.hasRoom() && !stopRequested.getAsBoolean()) {
            int before = lookahead.size();
            pollOnce(lookahead.isEmpty() ? POLL : Duration.ZERO);
            if (lookahead.size() == before) {
                return;
            }
        }
    }

    private void pollOnce(Duration timeout) {
        List<Received<BatchStreamEvent>> polled;
        try {
            polled = consumer.poll(timeout);
        } catch (WakeupException e) {
            if (!stopRequested.getAsBoolean()) {
                throw e;
            }
            return;
        }
        for (Received<BatchStreamEvent> received : polled) {
            BatchStreamEvent event = received.event();
            int partition = received.partition();
            long offset = received.offset();
            if (!owned.test(event)) {
                lookahead.pass(new PendingItem.Skip(partition, offset));
            } else if (event instanceof EpochCompleted marker) {
                lookahead.pass(new PendingItem.Marker(partition, offset, marker));
            } else {
                BatchReference batch = (BatchReference) event;
                lookahead.submit(new PendingItem.Batch(partition, offset, batch), preparer.prepare(batch, sequence++));
            }
        }
    }

    /** Batch references taken from the topic so far, those still held included (dead-lettered ones too). */
    long consumed() {
        return sequence;
    }

    /** Batch references consumed and handed to the training thread, i.e. not still held here. */
    long handedOver() {
        return sequence - lookahead.count(item -> item instanceof PendingItem.Batch);
    }

    /** Records held (fetched but not yet processed), for the lag gauge. */
    int held() {
        return lookahead.size();
    }

    @Override
    public void close() {
        lookahead.close();
    }
}
