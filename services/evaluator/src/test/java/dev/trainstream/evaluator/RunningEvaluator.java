package dev.trainstream.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.EvaluationOutcome;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Test harness: an {@link EvaluatorRun} on its own thread, with the outcomes it announced and its meters. */
final class RunningEvaluator implements AutoCloseable {
    private final EvaluatorRun run;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<EvaluationOutcome> heard = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private RunningEvaluator(EvaluatorConfig config) {
        run = new EvaluatorRun(config, registry, heard::add);
        thread = new Thread(() -> {
            try {
                run.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "evaluator-under-test");
        thread.setDaemon(true);
    }

    static RunningEvaluator start(EvaluatorConfig config) {
        RunningEvaluator evaluator = new RunningEvaluator(config);
        evaluator.thread.start();
        return evaluator;
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
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        run.requestStop();
        thread.join(Duration.ofSeconds(30).toMillis());
        run.close();
        assertThat(thread.isAlive()).as("evaluator thread stopped").isFalse();
        assertThat(failure.get()).as("evaluator loop error").isNull();
    }
}
