package dev.trainstream.storage;

/** An object's address, {@code s3://bucket/key}: the form events carry, so any S3 client can fetch it. */
public record ObjectUri(String bucket, String key) {
    public ObjectUri {
        if (bucket == null || bucket.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("object uri needs a bucket and a key, got bucket=" + bucket + " key=" + key);
        }
    }

    /** Parses {@code s3://bucket/key}; rejects anything else with a message naming the input. */
    public static ObjectUri parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// object uri: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("s3 uri must be s3://bucket/key: " + uri);
        }
        return new ObjectUri(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
