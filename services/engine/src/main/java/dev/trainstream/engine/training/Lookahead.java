package dev.trainstream.engine.training;

import dev.trainstream.engine.data.PreparedBatch;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The one look-ahead of training: a bounded queue, in submission order, of items whose batches worker threads fetch
 * and prepare (augment, normalise) while the training thread steps. The caller drives it from its own thread (the
 * trainer polls Kafka on it, which a background reader could not share), so items that need no batch (an epoch
 * marker) keep their place in the order too. A failed preparation is handed back with its item, never swallowed.
 *
 * @param <T> what the caller needs back with each batch (e.g. its Kafka position)
 */
public final class Lookahead<T> implements AutoCloseable {

    /**
     * The head item, its prepared batch (null when it needed none or preparing it failed), the failure, and how long
     * {@link #take()} waited for it.
     */
    public record Ready<T>(T item, PreparedBatch batch, Throwable failure, long waitNanos) {
        /** The batch, or the preparation's failure rethrown as a {@link PreparationException}. */
        public PreparedBatch batchOrThrow() {
            if (failure != null) {
                throw new PreparationException("preparing a batch failed: " + failure, failure);
            }
            return batch;
        }
    }

    /** Preparing a batch failed; the cause is the original exception. */
    public static final class PreparationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PreparationException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Pending<T>(T item, CompletableFuture<PreparedBatch> batch) {
    }

    private final int depth;
    private final ExecutorService workers;
    private final ArrayDeque<Pending<T>> queue = new ArrayDeque<>();
    private long totalWaitNanos;

    private Lookahead(int depth, ExecutorService workers) {
        this.depth = depth;
        this.workers = workers;
    }

    /**
     * @param depth   most items held (prepared or being prepared) at once
     * @param threads worker threads preparing batches
     * @param name    the workers' thread name
     */
    public static <T> Lookahead<T> start(int depth, int threads, String name) {
        if (depth < 1 || threads < 1 || name == null || name.isBlank()) {
            throw new IllegalArgumentException("depth and threads must be >= 1 and a thread name set");
        }
        return new Lookahead<>(depth, Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }));
    }

    /** Queues {@code item}; a worker runs {@code prepare} for it now. */
    public void submit(T item, Callable<PreparedBatch> prepare) {
        queue.addLast(new Pending<>(item, CompletableFuture.supplyAsync(() -> {
            try {
                return prepare.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, workers)));
    }

    /** Queues an item that needs no batch, in order with the others. */
    public void pass(T item) {
        queue.addLast(new Pending<>(item, null));
    }

    /** True while fewer than {@code depth} items are held. */
    public boolean hasRoom() {
        return queue.size() < depth;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int size() {
        return queue.size();
    }

    /** How many held items match (e.g. batches not yet trained). */
    public long count(Predicate<T> matching) {
        return queue.stream().filter(p -> matching.test(p.item())).count();
    }

    /** True when the head's batch is still being prepared (so the caller may queue more meanwhile). */
    public boolean headPending() {
        Pending<T> head = queue.peekFirst();
        return head != null && head.batch() != null && !head.batch().isDone();
    }

    /** Removes the head, waiting for its batch. Call only when not {@link #isEmpty()}. */
    public Ready<T> take() throws InterruptedException {
        Pending<T> head = queue.pollFirst();
        if (head == null) {
            throw new IllegalStateException("take() on an empty look-ahead");
        }
        if (head.batch() == null) {
            return new Ready<>(head.item(), null, null, 0);
        }
        long started = System.nanoTime();
        try {
            PreparedBatch batch = head.batch().get();
            return new Ready<>(head.item(), batch, null, waited(started));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null
                ? ce.getCause() : e.getCause();
            return new Ready<>(head.item(), null, cause, waited(started));
        }
    }

    private long waited(long started) {
        long nanos = System.nanoTime() - started;
        totalWaitNanos += nanos;
        return nanos;
    }

    /** Total time {@link #take()} waited for batches. */
    public long totalWaitNanos() {
        return totalWaitNanos;
    }

    /** Drops what is held and waits for the workers to let go (their batches may use a session about to close). */
    @Override
    public void close() {
        queue.forEach(p -> {
            if (p.batch() != null) {
                p.batch().cancel(true);
            }
        });
        queue.clear();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("look-ahead workers still busy after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
