package dev.trainstream.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Bad settings fail at start-up with the setting's name; secrets never print. */
class S3SettingsTest {
    @Test
    void givenBadBucketName_thenRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new S3Settings(URI.create("http://h:9000"), "a", "b", "Bad_Bucket", "us-east-1"))
            .hasMessageContaining("s3 bucket");
    }

    @Test
    void givenNonHttpEndpoint_thenRejected() {
        assertThatThrownBy(() -> new S3Settings(URI.create("ftp://h"), "a", "b", "bucket", "us-east-1"))
            .hasMessageContaining("s3 endpoint");
    }

    @Test
    void givenSettings_whenPrinted_thenSecretIsHidden() {
        assertThat(new S3Settings(URI.create("http://h:9000"), "key", "topsecret", "bucket", "us-east-1").toString())
            .doesNotContain("topsecret").contains("bucket");
    }

    @Test
    void givenObjectUri_whenParsed_thenRoundTripsAndRejectsGarbage() {
        assertThat(ObjectUri.parse("s3://b/runs/x/step.ckpt")).isEqualTo(new ObjectUri("b", "runs/x/step.ckpt"));
        assertThat(ObjectUri.parse("s3://b/k").toString()).isEqualTo("s3://b/k");
        assertThatThrownBy(() -> ObjectUri.parse("http://b/k")).hasMessageContaining("http://b/k");
        assertThatThrownBy(() -> ObjectUri.parse("s3://bucketonly")).hasMessageContaining("s3://bucket/key");
    }
}
