package dev.trainstream.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Where the evaluation event's size limit is: the event carries class names and the full confusion matrix, so its
 * size grows with the square of the class count. Measured with the real codec (payload plus CloudEvent headers)
 * against Kafka's default 1 MiB record limit ({@code max.request.size}, {@code message.max.bytes}).
 */
class EvaluationEventSizeTest {
    private static final int RECORD_LIMIT = 1 << 20;
    private static final EventCodec CODEC = EventCodec.create("/trainstream/test");

    @Test
    void givenTheMostClassesAllowed_whenTheWorstEventIsEncoded_thenItFitsTheRecordLimitWithRoom() {
        // Longest names, and 2.5 million test images spread over every cell (10 each: two digits per cell).
        int k = EvaluationCompleted.MAX_CLASSES;
        int worst = encodedBytes(event(k, EvaluationCompleted.MAX_CLASS_NAME_CHARS, 10));
        System.out.printf("evaluation event, %d classes of %d chars, every cell 10: %d bytes%n", k,
            EvaluationCompleted.MAX_CLASS_NAME_CHARS, worst);

        assertThat(worst).isLessThan(RECORD_LIMIT * 9 / 10);
    }

    @Test
    void givenClassCounts_whenEncoded_thenTheSizeGrowsWithTheirSquareAndTheBoundSitsBelowTheLimit() {
        // What the bound was chosen from: short names (CIFAR-100 style), 100 test images per class, all correct but
        // one per row, so cells are mostly "0" and the matrix costs two characters per cell.
        int previous = 0;
        for (int k = 100; k <= EvaluationCompleted.MAX_CLASSES; k += 100) {
            int size = encodedBytes(event(k, 12, 0));
            System.out.printf("evaluation event, %d classes: %d bytes%n", k, size);
            assertThat(size).isGreaterThan(previous);
            previous = size;
        }
        // Two characters per cell: at 500 classes the matrix alone is ~0.5 MB; the record limit is reached near 700.
        assertThat(previous).isBetween(RECORD_LIMIT / 3, RECORD_LIMIT * 2 / 3);
    }

    @Test
    void givenMoreClassesOrLongerNamesThanAllowed_whenBuilt_thenRejectedNamingTheLimit() {
        assertThatThrownBy(() -> event(EvaluationCompleted.MAX_CLASSES + 1, 8, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 500");
        assertThatThrownBy(() -> event(3, EvaluationCompleted.MAX_CLASS_NAME_CHARS + 1, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 128 characters");
    }

    private static int encodedBytes(EvaluationCompleted event) {
        ProducerRecord<String, byte[]> record = CODEC.encode(Topics.EVALUATIONS, event);
        int size = record.value().length + record.key().length();
        for (Header header : record.headers()) {
            size += header.key().length() + header.value().length;
        }
        return size;
    }

    /** {@code offDiagonal} in every off-diagonal cell (0: one misclassification per row, in the next class). */
    private static EvaluationCompleted event(int k, int nameChars, long offDiagonal) {
        List<String> classes = new ArrayList<>();
        List<List<Long>> confusion = new ArrayList<>();
        for (int row = 0; row < k; row++) {
            String id = Integer.toString(row);
            classes.add("c".repeat(Math.max(0, nameChars - id.length())) + id);
            List<Long> counts = new ArrayList<>(Collections.nCopies(k, offDiagonal));
            counts.set(row, 99L);
            if (offDiagonal == 0) {
                counts.set((row + 1) % k, 1L);
            }
            confusion.add(counts);
        }
        List<Double> perClass = Collections.nCopies(k, 0.9123456789012345);
        long examples = confusion.stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
        return new EvaluationCompleted("run-size", "s3://trainstream/runs/run-size/checkpoints/step-1.ckpt", "a".repeat(64),
            1, 0, 0.9123456789012345, 0.3456789012345678, classes, perClass, confusion, examples, 2412.75, 4145,
            new GateDecision(true, true, "accuracy 0.9123 improves on best 0.9000 by >= 0.0000"),
            Instant.parse("2026-12-07T00:00:00Z"), null);
    }
}
