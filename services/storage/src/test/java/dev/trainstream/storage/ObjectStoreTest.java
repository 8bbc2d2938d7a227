package dev.trainstream.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.infra.EmbeddedS3;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import dev.trainstream.storage.checkpoint.CheckpointStore;
import dev.trainstream.storage.checkpoint.StoredCheckpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store against a real S3 server: round trips, integrity, missing objects, outages. */
class ObjectStoreTest {
    @TempDir
    static Path dir;
    static EmbeddedS3 s3;
    static ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start(dir);
        store = ObjectStore.connect(new S3Settings(s3.endpoint(), s3.accessKey(), s3.secretKey(), "trainstream-test",
            "us-east-1"), new RetryPolicy(20, Duration.ofMillis(50), Duration.ofMillis(500)));
        store.ensureBucket();
        store.ensureBucket(); // idempotent
    }

    @AfterAll
    static void stop() {
        store.close();
        s3.close();
    }

    @Test
    void givenCheckpoints_whenListing_thenNewestFirstAndFetchVerifiesDigest() {
        CheckpointStore checkpoints = new CheckpointStore(store);
        StoredCheckpoint first = checkpoints.put("run-a", 10, bytes("state-10"));
        StoredCheckpoint second = checkpoints.put("run-a", 200, bytes("state-200"));

        assertThat(checkpoints.listNewestFirst("run-a")).extracting(ObjectInfo::key)
            .containsExactly(second.uri().key(), first.uri().key());
        assertThat(second.sha256()).isEqualTo(Sha256.hex(bytes("state-200")));
        assertThat(checkpoints.fetch(second.uri(), second.sha256())).isEqualTo(bytes("state-200"));
        assertThatThrownBy(() -> checkpoints.fetch(second.uri(), first.sha256()))
            .isInstanceOf(IntegrityException.class).hasMessageContaining(second.uri().toString());
        assertThat(CheckpointLayout.stepOf(second.uri().key())).hasValue(200);
    }

    @Test
    void givenABestPointer_whenReplacedAndRead_thenTheSameRecordComesBackAndJunkIsUnreadableNotAbsent() {
        BestModelStore best = new BestModelStore(store);
        assertThat(best.current("run-p")).isEmpty();
        BestModelPointer pointer = new BestModelPointer("run-p", "s3://trainstream-test/runs/run-p/step-0000000040.ckpt",
            "ab", 40, 2, 0.75, 0.8, Instant.parse("2026-12-01T00:00:00Z"), null, null, "hflip");
        best.replace(pointer);
        assertThat(best.current("run-p")).contains(pointer);
        assertThat(pointer.checkpointKey()).isEqualTo("runs/run-p/step-0000000040.ckpt");

        for (String junk : new String[] {"{\"checkpointUri\": 42", "{\"runId\":\"run-q\",\"checkpointUri\":\"not-a-uri\","
            + "\"sha256\":\"ab\",\"step\":1,\"epoch\":1,\"accuracy\":0.5,\"meanLoss\":1,\"promotedAt\":\"2026-12-01T00:00:00Z\"}"}) {
            store.put(CheckpointLayout.bestPointerKey("run-q"), bytes(junk), "application/json");
            assertThatThrownBy(() -> best.current("run-q"))
                .isInstanceOf(BestModelStore.BestPointerUnreadableException.class)
                .hasMessageContaining("s3://trainstream-test/runs/run-q/best.json");
        }
    }

    @Test
    void givenMissingObject_whenFetching_thenNotFoundIsFatalAndNamesTheObject() {
        assertThatThrownBy(() -> store.get("nope/missing.bin"))
            .isInstanceOf(ObjectNotFoundException.class)
            .hasMessage("object not found: s3://trainstream-test/nope/missing.bin")
            .satisfies(e -> assertThat(((StorageException) e).retriable()).isFalse());
        assertThat(store.exists("nope/missing.bin")).isFalse();
    }

    @Test
    void givenS3DownBriefly_whenPutting_thenRetriesUntilItIsBackAndNothingIsLost() throws Exception {
        s3.stop();
        CompletableFuture<String> put = CompletableFuture.supplyAsync(() -> store.put("outage/obj", bytes("kept"), "text/plain"));
        // The first attempts hit a closed port; bring the server back while the policy is still retrying.
        assertThatThrownBy(() -> store.ping()).isInstanceOf(StorageException.class)
            .satisfies(e -> assertThat(((StorageException) e).retriable()).isTrue());
        s3.start();
        assertThat(put.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Sha256.hex(bytes("kept")));
        assertThat(store.get("outage/obj")).isEqualTo(bytes("kept"));
    }

    @Test
    void givenWrongCredentials_whenProbing_thenFatalError() {
        try (ObjectStore intruder = ObjectStore.connect(new S3Settings(s3.endpoint(), "nobody", "bad-secret", "trainstream-test",
            "us-east-1"), RetryPolicy.standard())) {
            assertThatThrownBy(intruder::ping).isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).retriable()).isFalse());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void givenTwoWritersOfTheSameVersion_whenBothReplaceConditionally_thenOnlyTheFirstLands() {
        String key = "conditional/pointer.json";
        assertThat(store.replaceIfUnchanged(key, "v1".getBytes(), "text/plain", java.util.Optional.empty())).isTrue();
        assertThat(store.replaceIfUnchanged(key, "v1-again".getBytes(), "text/plain", java.util.Optional.empty()))
            .as("create-only: the object exists now").isFalse();

        ObjectStore.Versioned seenByA = store.getVersioned(key);
        ObjectStore.Versioned seenByB = store.getVersioned(key);
        assertThat(store.replaceIfUnchanged(key, "from-a".getBytes(), "text/plain",
            java.util.Optional.of(seenByA.etag()))).isTrue();
        assertThat(store.replaceIfUnchanged(key, "from-b".getBytes(), "text/plain",
            java.util.Optional.of(seenByB.etag()))).as("B decided against a version that is gone").isFalse();

        assertThat(new String(store.get(key))).isEqualTo("from-a");
    }
}
