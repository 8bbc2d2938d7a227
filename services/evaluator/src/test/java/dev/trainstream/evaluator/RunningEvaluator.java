package dev.trainstream.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.EvaluationOutcome;
import dev.trainstream.ops.lifecycle.RunningService;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test harness: an {@link EvaluatorRun} hosted as production hosts it ({@link RunningService}), with the outcomes it
 * announced and its meters.
 */
final class RunningEvaluator implements AutoCloseable {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<EvaluationOutcome> heard = new CopyOnWriteArrayList<>();
    private final RunningService<EvaluatorSummary> running;

    private RunningEvaluator(EvaluatorConfig config) {
        running = RunningService.start(new EvaluatorRun(config, registry, heard::add), Duration.ofSeconds(30));
    }

    static RunningEvaluator start(EvaluatorConfig config) {
        return new RunningEvaluator(config);
    }

    /** Outcomes announced so far, in order. */
    List<EvaluationOutcome> heard() {
        return List.copyOf(heard);
    }

    /** Outcomes of one run, in order. */
    List<EvaluationOutcome> heard(String runId) {
        return heard.stream().filter(o -> o.runId().equals(runId)).toList();
    }

    /** The value of a counter of the evaluator's meters. */
    double counter(String name, String tag, String value) {
        return RequiredSearch.in(registry).name(name).tag(tag, value).counter().count();
    }

    /** The value of an untagged counter of the evaluator's meters. */
    double counter(String name) {
        return RequiredSearch.in(registry).name(name).counter().count();
    }

    /** The consumer-lag gauge. */
    double lag() {
        return RequiredSearch.in(registry).name(EvaluatorMeters.LAG).gauge().value();
    }

    /** Number of scoring-duration samples. */
    long timed() {
        return RequiredSearch.in(registry).name(EvaluatorMeters.DURATION).timer().count();
    }

    /** The error that ended the loop, if any. */
    Throwable failure() {
        return running.failure();
    }

    /** Waits for the loop to end on its own and returns the error that ended it (for a test that expects one). */
    Throwable awaitFailure(Duration deadline) throws Exception {
        try {
            running.await(deadline);
        } catch (dev.trainstream.ops.lifecycle.ServiceFailedException e) {
            return e.getCause();
        }
        throw new AssertionError("evaluator ended without an error");
    }

    @Override
    public void close() {
        running.close();
        assertThat(running.isClosed()).as("evaluator stopped and closed").isTrue();
        assertThat(running.failure()).as("evaluator loop error").isNull();
    }
}
