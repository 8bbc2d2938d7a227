package dev.trainstream.dashboard;

import dev.trainstream.dashboard.feed.FeedSettings;
import dev.trainstream.dashboard.http.HttpExposure;
import dev.trainstream.dashboard.view.ViewLimits;
import dev.trainstream.ops.config.ConnectionSettings;
import java.time.Duration;
import java.util.Optional;

/** The dashboard's settings; built with {@link #builder()}, which names the setting it rejects. */
public final class DashboardConfig {
    /** Port of the dashboard when none is given: beside the services' 8080. */
    public static final int DEFAULT_PORT = 8090;

    private final FeedSettings feed;
    private final HttpExposure exposure;
    private final ViewLimits limits;

    private DashboardConfig(Builder b, HttpExposure exposure) {
        this.feed = new FeedSettings(b.kafkaBootstrap, b.groupId, b.topicReplication, b.pollTimeout, b.retryBackoff);
        this.exposure = exposure;
        this.limits = b.limits;
    }

    public static Builder builder() {
        return new Builder();
    }

    public FeedSettings feed() {
        return feed;
    }

    /** Where the HTTP server listens, its token and its live-stream cap. */
    public HttpExposure exposure() {
        return exposure;
    }

    public ViewLimits limits() {
        return limits;
    }

    /** Required: kafkaBootstrap. Everything else has a default. */
    public static final class Builder {
        private String kafkaBootstrap;
        // The feed never commits: the group only names its clients in the broker's view.
        private String groupId = "trainstream-dashboard";
        // Loopback, as every service outside a container; images and manifests set 0.0.0.0.
        private String host = ConnectionSettings.HTTP_BIND.required();
        private int port = DEFAULT_PORT;
        private String token;
        private int maxLiveStreams = DashboardSettings.MAX_LIVE_STREAMS.defaultInt();
        // Single-broker setups; production clusters set 3.
        private short topicReplication = 1;
        // Bounds the delay before a new event reaches the browsers (four topics polled in turn).
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration retryBackoff = Duration.ofSeconds(1);
        private ViewLimits limits = ViewLimits.DEFAULT;

        private Builder() {
        }

        public Builder kafkaBootstrap(String kafkaBootstrap) {
            this.kafkaBootstrap = kafkaBootstrap;
            return this;
        }

        public Builder optGroupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** 0 = any free port. */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** The bearer token the pages and API require; null or blank (an empty variable) = none. */
        public Builder optToken(String token) {
            this.token = token == null || token.isBlank() ? null : token;
            return this;
        }

        public Builder optMaxLiveStreams(int maxLiveStreams) {
            this.maxLiveStreams = maxLiveStreams;
            return this;
        }

        public Builder optTopicReplication(short topicReplication) {
            this.topicReplication = topicReplication;
            return this;
        }

        public Builder optPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        public Builder optRetryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder optLimits(ViewLimits limits) {
            this.limits = limits;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public DashboardConfig build() {
            HttpExposure exposure = new HttpExposure(host, port, Optional.ofNullable(token), maxLiveStreams);
            if (limits == null) {
                throw new IllegalArgumentException("limits must not be null");
            }
            return new DashboardConfig(this, exposure);
        }
    }
}
