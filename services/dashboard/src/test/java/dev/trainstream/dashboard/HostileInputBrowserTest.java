package dev.trainstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.TopicAdmin;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.infra.EmbeddedKafka;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User input stays text in a real browser (see {@link BrowserPage}): a run id and class names full of markup, which
 * any producer may publish (the schemas accept any non-blank run id; only the trainer restricts its own ids, so a real
 * run cannot carry them), show verbatim on the runs list, the run page and the compare page (the run, and an unknown
 * run id named in its address), become no elements and run no script.
 * The events are published by the test; {@link DashboardBrowserTest} watches a real training run.
 */
class HostileInputBrowserTest {
    static final String RUN = "mobilenet-0.25 <img src=x onerror=alert(1)>";
    static final int STEPS = 20;
    /** Named in a compare address, never published: the page names it as unknown, as text. */
    static final String UNKNOWN_RUN = "<svg onload=alert(2)> & \"none\"";

    @TempDir
    Path dir;

    @Test
    void givenARunIdAndClassNamesWithMarkup_whenTheRunIsListedAndOpened_thenTheyShowAsTextAndNoScriptRuns()
        throws Exception {
        BrowserPage.assumeAvailable();
        RunEvents run = new RunEvents(RUN);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.all(), (short) 1);
            try (EventPublisher publisher = EventPublisher.create(kafka.bootstrapServers(),
                    EventCodec.create("/test/producer"), "hostile-input-test");
                 Dashboard dashboard = Dashboard.start(DashboardConfig.builder()
                     .kafkaBootstrap(kafka.bootstrapServers()).optHost("127.0.0.1").optPort(0).build())) {
                publisher.publish(Topics.RUNS, run.started());
                for (long step = 1; step <= STEPS; step++) {
                    publisher.publish(Topics.METRICS, run.metricsAt(step));
                }
                publisher.publish(Topics.CHECKPOINTS, run.checkpointAt(10));
                publisher.publish(Topics.CHECKPOINTS, run.checkpointAt(20));
                publisher.publish(Topics.EVALUATIONS, run.evaluationAt(10, 12, true));
                publisher.publish(Topics.EVALUATIONS, run.evaluationAt(20, 21, true));

                try (BrowserPage page = BrowserPage.open(dashboard.url(), RUN,
                        Path.of("target/hostile-input-run-page.png"), Path.of("target/hostile-input-browser.log"))) {
                    JsonNode listed = page.listed();
                    assertThat(listed.get("linkText").asText()).isEqualTo(RUN);
                    assertThat(listed.get("cellElements").asInt()).as("elements in the run's cell: the link only")
                        .isOne();
                    assertThat(listed.get("images").asInt()).as("markup in the run id became an image").isZero();
                    page.points();
                    page.awaitPoints(STEPS);
                    assertThat(page.points()).isEqualTo(STEPS);

                    JsonNode compared = page.compareWith(UNKNOWN_RUN);
                    assertThat(compared.get("column").asText()).isEqualTo(RUN);
                    assertThat(compared.get("columnLink").asText()).isEqualTo(RUN);
                    assertThat(compared.get("columnElements").asInt()).as("the column header: swatch and link only")
                        .isEqualTo(2);
                    assertThat(compared.get("seriesLabels")).extracting(JsonNode::asText).containsExactly(RUN);
                    assertThat(compared.get("legendLabels")).extracting(JsonNode::asText).contains(RUN);
                    assertThat(compared.get("unknown")).extracting(JsonNode::asText).containsExactly(UNKNOWN_RUN);
                    assertThat(compared.get("message").asText()).contains(UNKNOWN_RUN);
                    assertThat(compared.get("messageElements").asInt()).as("the message: its text and a link")
                        .isEqualTo(2);
                    assertThat(compared.get("images").asInt()).as("markup in run ids became images").isZero();

                    JsonNode result = page.finish(2, 2);
                    assertThat(result.get("runIdShown").asText()).isEqualTo(RUN);
                    assertThat(result.get("headingElements").asInt()).as("markup in the run id became elements")
                        .isZero();
                    assertThat(result.get("images").asInt()).as("markup in user input became images").isZero();
                    assertThat(result.get("classHeaders")).extracting(JsonNode::asText)
                        .containsExactlyElementsOf(RunEvents.CLASSES);
                    assertThat(result.get("bestRows")).extracting(JsonNode::asLong).containsExactly(20L);
                    assertThat(result.get("dialogs")).as("script in user input ran").isEmpty();
                    assertThat(result.get("errors")).as("page errors or foreign requests").isEmpty();
                }
            }
        }
    }
}
