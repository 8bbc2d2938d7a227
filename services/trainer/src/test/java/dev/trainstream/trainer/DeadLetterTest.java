package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.events.BatchReference;
import dev.trainstream.events.DeadLetter;
import dev.trainstream.events.EpochCompleted;
import dev.trainstream.events.ShardSlice;
import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.produce.EventPublisher;
import dev.trainstream.events.topics.Topics;
import dev.trainstream.ingest.source.SyntheticDataset;
import dev.trainstream.ingest.store.DatasetWriter;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.checkpoint.CheckpointArchive;
import dev.trainstream.storage.dataset.DatasetManifest;
import dev.trainstream.storage.dataset.DatasetStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batch references that can never be trained go to the dead-letter topic with their reason and position; the run
 * trains the rest of the epoch, and its summary and Prometheus counter say how many were rejected.
 */
@ExtendWith(SharedTestBed.class)
class DeadLetterTest {
    private static final String RUN = "dead-letters";

    @Test
    void givenAnEpochWithUnknownCorruptMissingAndOutOfRangeShardReferences_whenTrained_thenEachIsDeadLetteredWithItsReasonAndTheGoodOnesAreTrained(
        TrainerTestBed bed) throws Exception {
        // Given a dataset of four 64-image shards: shard 2's object is overwritten with garbage, shard 3's deleted.
        DatasetManifest manifest;
        String manifestKey;
        try (ObjectStore objects = bed.objects()) {
            objects.ensureBucket();
            DatasetWriter.Stored stored = new DatasetWriter(new DatasetStore(objects), 64, 2, Clock.systemUTC())
                .write(new SyntheticDataset(256, 16, 31).load(), bytes -> { });
            manifest = stored.manifest();
            manifestKey = stored.manifestKey();
            List<DatasetManifest.ShardRef> shards = manifest.train().shards();
            objects.put(shards.get(2).key(), new byte[] {0, 1, 2, 3}, "application/octet-stream");
            objects.delete(shards.get(3).key());
        }
        List<DatasetManifest.ShardRef> shards = manifest.train().shards();
        // And an epoch of 9 references in which 5 are poisoned, named by why.
        Map<String, List<ShardSlice>> epoch = new LinkedHashMap<>();
        epoch.put("good-0", slice(shards.get(0).digest(), 0));
        epoch.put("unknown shard", slice("0".repeat(64), 0));
        epoch.put("good-1", slice(shards.get(0).digest(), 32));
        epoch.put("sha256 mismatch", slice(shards.get(2).digest(), 0));
        epoch.put("good-2", slice(shards.get(1).digest(), 0));
        epoch.put("object not found", slice(shards.get(3).digest(), 0));
        epoch.put("record out of range", List.of(new ShardSlice(shards.get(1).digest(), List.of(5, 64))));
        epoch.put("more records than the batch size", List.of(new ShardSlice(shards.get(0).digest(),
            IntStream.range(0, 64).boxed().toList())));
        epoch.put("good-3", slice(shards.get(1).digest(), 32));
        Map<String, Long> offsets = publish(bed, manifest, manifestKey, epoch);

        // When a run trains the epoch.
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunSettings settings = bed.settings(RUN, manifest.datasetId());
        settings.epochs = 1;
        TrainerSummary summary = bed.train(settings, registry);

        // Then the good references were trained, once each, and the poisoned ones counted.
        assertThat(summary.steps()).isEqualTo(4);
        assertThat(summary.epochs()).isEqualTo(1);
        assertThat(summary.deadLettered()).as("5 poisoned references + 1 schema violation").isEqualTo(6);
        assertThat(registry.get("trainstream_trainer_dead_lettered_batches").tag("run", RUN).counter().count())
            .isEqualTo(6.0);
        CheckpointArchive.Metadata last = bed.checkpoint(RUN, 4).metadata();
        assertThat(last.batchesConsumed()).as("dead-lettered references count as consumed").isEqualTo(9);
        assertThat(last.epoch()).isEqualTo(1);

        // And each poisoned one is on the dead-letter topic with its position, its reason and its payload.
        List<DeadLetter> all = bed.events(Topics.DEAD_LETTERS).stream()
            .filter(d -> d.service().equals("trainer/" + RUN)).toList();
        assertThat(all).filteredOn(d -> d.offset() == offsets.get("schema violation")).singleElement()
            .satisfies(d -> assertThat(d.reason()).isNotBlank());
        List<DeadLetter> letters = all.stream().filter(d -> d.offset() != offsets.get("schema violation")).toList();
        assertThat(letters).extracting(DeadLetter::offset).containsExactly(offsets.get("unknown shard"),
            offsets.get("sha256 mismatch"), offsets.get("object not found"), offsets.get("record out of range"),
            offsets.get("more records than the batch size"));
        assertThat(letters).allSatisfy(d -> {
            assertThat(d.sourceTopic()).isEqualTo(Topics.BATCHES.name());
            assertThat(d.key()).isEqualTo(manifest.datasetId());
            assertThat(d.payloadBase64()).isNotBlank();
        });
        assertThat(letters).extracting(DeadLetter::reason).satisfiesExactly(
            r -> assertThat(r).contains("0".repeat(64)).contains("does not have"),
            r -> assertThat(r).contains("sha256 mismatch").contains(shards.get(2).key()),
            r -> assertThat(r).contains("not found").contains(shards.get(3).key()),
            r -> assertThat(r).contains("record 64").contains("holds 64"),
            r -> assertThat(r).contains("names 64 records").contains("at most 32"));
    }

    @Test
    void givenAFirstBatchReferenceNamingAMissingManifest_whenTrained_thenItIsDeadLetteredAndTheRunTrainsTheRest(
        TrainerTestBed bed) throws Exception {
        DatasetManifest manifest;
        String manifestKey;
        try (ObjectStore objects = bed.objects()) {
            objects.ensureBucket();
            DatasetWriter.Stored stored = new DatasetWriter(new DatasetStore(objects), 64, 2, Clock.systemUTC())
                .write(new SyntheticDataset(128, 16, 37).load(), bytes -> { });
            manifest = stored.manifest();
            manifestKey = stored.manifestKey();
        }
        String digest = manifest.train().shards().get(0).digest();
        long missingAt;
        try (EventPublisher publisher = EventPublisher.create(bed.infra().kafka().bootstrapServers(),
            EventCodec.create("/test"), "missing-manifest-test")) {
            missingAt = publisher.publish(Topics.BATCHES, new BatchReference(manifest.datasetId(),
                "datasets/" + manifest.datasetId() + "/no-such-manifest.json", 0, 0, 3, 32, slice(digest, 0))).offset();
            publisher.publish(Topics.BATCHES, new BatchReference(manifest.datasetId(), manifestKey, 0, 1, 3, 32,
                slice(digest, 0)));
            publisher.publish(Topics.BATCHES, new BatchReference(manifest.datasetId(), manifestKey, 0, 2, 3, 32,
                slice(digest, 32)));
            publisher.publish(Topics.BATCHES, new EpochCompleted(manifest.datasetId(), 0, 3, 128));
        }
        String run = "missing-manifest";
        RunSettings settings = bed.settings(run, manifest.datasetId());
        settings.epochs = 1;

        TrainerSummary summary = bed.train(settings);

        assertThat(summary.steps()).as("the two references with a manifest").isEqualTo(2);
        assertThat(summary.epochs()).isEqualTo(1);
        // (The summary's count also holds invalid records of other tests' datasets that this run's consumer read.)
        assertThat(bed.events(Topics.DEAD_LETTERS).stream().filter(d -> d.service().equals("trainer/" + run)
            && manifest.datasetId().equals(d.key()))).singleElement().satisfies(d -> {
                assertThat(d.offset()).isEqualTo(missingAt);
                assertThat(d.reason()).contains("no-such-manifest.json").contains("cannot be used");
            });
    }

    private static List<ShardSlice> slice(String digest, int from) {
        return List.of(new ShardSlice(digest, IntStream.range(from, from + 32).boxed().toList()));
    }

    /** Publishes the references as one epoch (steps in order) and its marker; returns each reference's offset. */
    private static Map<String, Long> publish(TrainerTestBed bed, DatasetManifest manifest, String manifestKey,
                                             Map<String, List<ShardSlice>> epoch) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        try (EventPublisher publisher = EventPublisher.create(bed.infra().kafka().bootstrapServers(),
            EventCodec.create("/test"), "dead-letter-test")) {
            List<String> names = new ArrayList<>(epoch.keySet());
            for (int step = 0; step < names.size(); step++) {
                List<ShardSlice> slices = epoch.get(names.get(step));
                RecordMetadata written = publisher.publish(Topics.BATCHES, new BatchReference(manifest.datasetId(),
                    manifestKey, 0, step, names.size(), 32, slices));
                offsets.put(names.get(step), written.offset());
            }
            // A record that is not a valid event at all: the consumer dead-letters it before the trainer sees it.
            try {
                offsets.put("schema violation", publisher.kafka().send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    Topics.BATCHES.name(), manifest.datasetId(), "not an event".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .get().offset());
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError("could not publish the invalid record", e);
            }
            publisher.publish(Topics.BATCHES, new EpochCompleted(manifest.datasetId(), 0, names.size(), 256));
        }
        return offsets;
    }
}
