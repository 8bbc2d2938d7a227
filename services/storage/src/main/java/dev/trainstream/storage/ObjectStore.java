package dev.trainstream.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one gateway to S3 for every service: bucket-scoped put/get/list/delete through the MinIO client, with transient
 * failures retried by a {@link RetryPolicy} and every failure sorted into retriable or fatal {@link StorageException}s.
 */
public final class ObjectStore implements AutoCloseable {
    /** User-metadata key under which the object's sha256 is stored at upload. */
    public static final String SHA256_METADATA = "sha256";
    private static final Set<String> RETRIABLE_CODES =
        Set.of("InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout", "OperationAborted");
    /** A conditional write that lost: the object changed (or appeared) since it was read. */
    private static final Set<String> CONDITION_FAILED_CODES = Set.of("PreconditionFailed", "ConditionalRequestConflict");

    private final MinioClient client;
    private final S3Settings settings;
    private final RetryPolicy retry;

    private ObjectStore(MinioClient client, S3Settings settings, RetryPolicy retry) {
        this.client = client;
        this.settings = settings;
        this.retry = retry;
    }

    /**
     * How long a connection attempt, or a wait for the next bytes of a request or an answer, may take before the call
     * fails as retriable. The client's default is five minutes: a trainer whose network dropped under a checkpoint
     * upload sat that long before retrying (measured in the container check, docs/RELIABILITY.md). Thirty seconds of
     * silence is far beyond any healthy S3 server's pause, and an upload that keeps moving is never cut.
     */
    public static final Duration IO_TIMEOUT = Duration.ofSeconds(30);

    /** A store for {@code settings.bucket()}; no request is made until first use. */
    public static ObjectStore connect(S3Settings settings, RetryPolicy retry) {
        return connect(settings, retry, IO_TIMEOUT);
    }

    /** As {@link #connect(S3Settings, RetryPolicy)} with another I/O timeout (tests of a stalled server). */
    static ObjectStore connect(S3Settings settings, RetryPolicy retry, Duration ioTimeout) {
        MinioClient client = MinioClient.builder()
            .endpoint(settings.endpoint().toString())
            .region(settings.region())
            .credentials(settings.accessKey(), settings.secretKey())
            .build();
        long millis = ioTimeout.toMillis();
        client.setTimeout(millis, millis, millis);
        return new ObjectStore(client, settings, retry);
    }

    public String bucket() {
        return settings.bucket();
    }

    public ObjectUri uri(String key) {
        return new ObjectUri(settings.bucket(), key);
    }

    /** Creates the bucket if it does not exist (idempotent). */
    public void ensureBucket() {
        retry.run("ensure bucket " + bucket(), () -> call("ensure bucket " + bucket(), () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket()).region(settings.region()).build());
                } catch (ErrorResponseException e) {
                    // Another service created it between our check and our create: that is the outcome we wanted.
                    if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                        throw e;
                    }
                }
            }
            return null;
        }));
    }

    /** Readiness probe: the bucket answers, no retries. */
    public void ping() {
        boolean exists = call("probe bucket " + bucket(),
            () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build()));
        if (!exists) {
            throw new StorageException("bucket " + bucket() + " does not exist", false, null);
        }
    }

    /** Uploads {@code data} (a single atomic PUT as far as readers are concerned) and returns its sha256. */
    public String put(String key, byte[] data, String contentType) {
        return put(key, data, contentType, Sha256.hex(data));
    }

    /**
     * As {@link #put(String, byte[], String)} for a caller that has just hashed {@code data} itself (a content-addressed
     * shard), so 184 MB of shards are not hashed twice; {@code sha256} is stored as the object's digest metadata and
     * every verified read checks the bytes against it, so a wrong value is caught there.
     */
    public String put(String key, byte[] data, String contentType, String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 of " + key + " must be 64 lower-case hex digits, was " + sha256);
        }
        retry.run("put " + uri(key), () -> call("put " + uri(key), () -> client.putObject(PutObjectArgs.builder()
            .bucket(bucket()).object(key)
            .stream(new ByteArrayInputStream(data), data.length, -1)
            .contentType(contentType)
            .userMetadata(Map.of(SHA256_METADATA, sha256))
            .build())));
        return sha256;
    }

    /** An object's bytes and the ETag of that version, for {@link #replaceIfUnchanged}. */
    public record Versioned(byte[] data, String etag) {
    }

    /** Whole object with its ETag; {@link ObjectNotFoundException} if absent. */
    public Versioned getVersioned(String key) {
        return retry.run("get " + uri(key), () -> call("get " + uri(key), () -> {
            try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build())) {
                byte[] data = in.readAllBytes();
                String etag = in.headers().get("ETag");
                if (etag == null) {
                    throw new StorageException("get " + uri(key) + ": the S3 server sent no ETag", false, null);
                }
                return new Versioned(data, etag);
            }
        }));
    }

    /**
     * Writes {@code key} only if it is still the version {@code expectedEtag} names (empty: only if it does not exist),
     * with S3's conditional PUT ({@code If-Match} / {@code If-None-Match: *}); false when another writer got there
     * first. A retried PUT whose first attempt landed also answers false: the caller re-reads and sees its own write.
     */
    public boolean replaceIfUnchanged(String key, byte[] data, String contentType, Optional<String> expectedEtag) {
        Map<String, String> condition = expectedEtag.map(etag -> Map.of("If-Match", etag))
            .orElse(Map.of("If-None-Match", "*"));
        String sha256 = Sha256.hex(data);
        try {
            retry.run("put " + uri(key), () -> call("put " + uri(key), () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket()).object(key).headers(condition)
                .stream(new ByteArrayInputStream(data), data.length, -1)
                .contentType(contentType)
                .userMetadata(Map.of(SHA256_METADATA, sha256))
                .build())));
            return true;
        } catch (StorageException e) {
            if (e.getCause() instanceof ErrorResponseException answer
                && CONDITION_FAILED_CODES.contains(answer.errorResponse().code())) {
                return false;
            }
            throw e;
        }
    }

    public boolean exists(String key) {
        return retry.run("stat " + uri(key), () -> {
            try {
                call("stat " + uri(key), () -> client.statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build()));
                return true;
            } catch (ObjectNotFoundException e) {
                return false;
            }
        });
    }

    /** Whole object; {@link ObjectNotFoundException} if absent. */
    public byte[] get(String key) {
        return retry.run("get " + uri(key), () -> call("get " + uri(key), () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build())) {
                return in.readAllBytes();
            }
        }));
    }

    /** Whole object, verified against {@code expectedSha256}; {@link IntegrityException} on mismatch. */
    public byte[] getVerified(ObjectUri uri, String expectedSha256) {
        requireOwnBucket(uri);
        byte[] data = get(uri.key());
        String actual = Sha256.hex(data);
        if (!actual.equals(expectedSha256)) {
            throw new IntegrityException(uri, expectedSha256, actual);
        }
        return data;
    }

    /** Objects under {@code prefix}, in key order. */
    public List<ObjectInfo> list(String prefix) {
        return retry.run("list " + uri(prefix + "*"), () -> call("list " + prefix, () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (Result<Item> result : client.listObjects(
                ListObjectsArgs.builder().bucket(bucket()).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                Instant modified = item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant();
                out.add(new ObjectInfo(item.objectName(), item.size(), modified));
            }
            out.sort(Comparator.comparing(ObjectInfo::key));
            return out;
        }));
    }

    public void delete(String key) {
        retry.run("delete " + uri(key), () -> call("delete " + uri(key),
            () -> {
                client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(key).build());
                return null;
            }));
    }

    /** Checks that {@code uri} lives in this store's bucket. */
    public void requireOwnBucket(ObjectUri uri) {
        if (!uri.bucket().equals(bucket())) {
            throw new StorageException(uri + " is not in the configured bucket " + bucket(), false, null);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            throw new StorageException("closing the S3 client failed", false, e);
        }
    }

    /** One S3 call, with the client's many exception types sorted into ours. */
    private <T> T call(String what, S3Call<T> body) {
        try {
            return body.run();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("NoSuchKey".equals(code)) {
                String object = e.errorResponse().objectName();
                // Without an object name in the answer, the operation label ("get s3://b/k") still names the object.
                throw new ObjectNotFoundException(object == null ? what.replaceFirst("^\\S+ ", "") : uri(object).toString(), e);
            }
            throw new StorageException(what + " failed: " + code + " " + e.getMessage(), RETRIABLE_CODES.contains(code), e);
        } catch (ServerException | InsufficientDataException | InvalidResponseException e) {
            throw new StorageException(what + " failed (server or transfer error): " + e.getMessage(), true, e);
        } catch (IOException e) {
            throw new StorageException(what + " failed (S3 endpoint " + settings.endpoint() + " unreachable?): "
                + e.getMessage(), true, e);
        } catch (StorageException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException(what + " failed: " + e, false, e);
        }
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }
}
