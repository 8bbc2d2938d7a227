package dev.trainstream.storage;

import java.net.URI;

/**
 * Where and how to reach the object store: endpoint, credentials, bucket and region. Validated once here so a typo
 * fails at start-up with the setting's name rather than at the first upload.
 */
public record S3Settings(URI endpoint, String accessKey, String secretKey, String bucket, String region) {
    public S3Settings {
        if (endpoint == null || endpoint.getScheme() == null
            || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
            throw new IllegalArgumentException("s3 endpoint must be an http(s) URL, was " + endpoint);
        }
        requireText("s3 access key", accessKey);
        requireText("s3 secret key", secretKey);
        requireText("s3 region", region);
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("s3 bucket must be a valid S3 bucket name (3-63 chars, a-z 0-9 . -), was "
                + bucket);
        }
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must be set");
        }
    }

    /** Printable form without the secret. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", accessKey="
            + accessKey + "]";
    }
}
