package dev.trainstream.engine.training;

import dev.trainstream.engine.data.BatchSource;
import dev.trainstream.engine.data.LabeledImages;
import dev.trainstream.engine.data.PreparedBatch;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded look-ahead over a blocking {@link BatchSource}: a reader thread pulls raw batches in order and numbers
 * them with consecutive global steps, worker threads prepare them (augment + normalise) ahead of time, and the
 * training thread takes them in order, measuring how long it waited. Source failures are handed to the training
 * thread as {@link PipelineException} with the original cause, never swallowed.
 */
public final class PrefetchPipeline implements AutoCloseable {

    /** Prepares a raw batch for a global step (e.g. {@code session::prepare}); must be thread-safe. */
    @FunctionalInterface
    public interface Preparer {
        /** Returns the prepared batch for {@code globalStep}. */
        PreparedBatch prepare(LabeledImages raw, long globalStep);
    }

    /**
     * A prepared batch and how long the training thread waited for it.
     *
     * @param batch the batch
     * @param dataWaitNanos time {@link #next()} blocked
     */
    public record Fetched(PreparedBatch batch, long dataWaitNanos) {
        /** Wait time in milliseconds. */
        public double dataWaitMillis() {
            return dataWaitNanos / 1e6;
        }
    }

    /** The source or a preparer failed; the cause is the original exception. */
    public static final class PipelineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PipelineException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final ExecutorService workers;
    private final Thread reader;
    private final AtomicLong totalWaitNanos = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean closed;
    private boolean finished;

    private PrefetchPipeline(BatchSource source, Preparer preparer, long firstStep, int lookahead, int threads) {
        this.queue = new ArrayBlockingQueue<>(lookahead);
        AtomicInteger ids = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "prefetch-worker-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(() -> readLoop(source, preparer, firstStep), "prefetch-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Starts prefetching.
     *
     * @param source blocking source of raw batches
     * @param preparer turns a raw batch into a prepared one for its global step
     * @param firstStep global step of the first batch (the session's {@code globalStep()} when resuming)
     * @param lookahead batches prepared ahead of the training thread (queue bound, >= 1)
     * @param threads preparing worker threads (>= 1)
     */
    public static PrefetchPipeline start(BatchSource source, Preparer preparer, long firstStep, int lookahead,
            int threads) {
        if (source == null || preparer == null) {
            throw new IllegalArgumentException("source and preparer must be set");
        }
        if (firstStep < 0) {
            throw new IllegalArgumentException("firstStep must be >= 0, got " + firstStep);
        }
        if (lookahead < 1) {
            throw new IllegalArgumentException("lookahead must be >= 1, got " + lookahead);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        PrefetchPipeline pipeline = new PrefetchPipeline(source, preparer, firstStep, lookahead, threads);
        pipeline.reader.start();
        return pipeline;
    }

    /**
     * Blocks until the next prepared batch is ready.
     *
     * @return the batch with its data-wait time, or empty when the source is exhausted
     * @throws PipelineException when the source or a preparer failed
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public Optional<Fetched> next() throws InterruptedException {
        if (finished || closed) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        Object item = queue.take();
        if (item == END) {
            finished = true;
            return Optional.empty();
        }
        if (item instanceof Throwable failure) {
            finished = true;
            throw new PipelineException("batch source failed: " + failure.getMessage(), failure);
        }
        PreparedBatch batch;
        try {
            batch = ((CompletableFuture<?>) item).thenApply(PreparedBatch.class::cast).get();
        } catch (ExecutionException e) {
            finished = true;
            throw new PipelineException("preparing a batch failed: " + e.getCause().getMessage(), e.getCause());
        }
        long waited = System.nanoTime() - start;
        totalWaitNanos.addAndGet(waited);
        delivered.incrementAndGet();
        return Optional.of(new Fetched(batch, waited));
    }

    /** Total time {@link #next()} has blocked so far. */
    public long totalDataWaitNanos() {
        return totalWaitNanos.get();
    }

    /** Batches delivered so far. */
    public long delivered() {
        return delivered.get();
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        workers.shutdownNow();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop(BatchSource source, Preparer preparer, long firstStep) {
        long step = firstStep;
        try {
            while (!closed) {
                Optional<LabeledImages> raw = source.next();
                if (raw.isEmpty()) {
                    queue.put(END);
                    return;
                }
                long current = step++;
                LabeledImages images = raw.get();
                queue.put(CompletableFuture.supplyAsync(() -> preparer.prepare(images, current), workers));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            offerFailure(e);
        }
    }

    private void offerFailure(Exception e) {
        try {
            queue.put(e);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
