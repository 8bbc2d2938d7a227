package dev.trainstream.dashboard;

import dev.trainstream.dashboard.feed.FeedSettings;
import dev.trainstream.dashboard.view.ViewLimits;
import java.time.Duration;

/** The dashboard's settings; built with {@link #builder()}, which names the setting it rejects. */
public final class DashboardConfig {
    /** Port of the dashboard when none is given: beside the services' 8080. */
    public static final int DEFAULT_PORT = 8090;

    private final FeedSettings feed;
    private final String host;
    private final int port;
    private final ViewLimits limits;

    private DashboardConfig(Builder b) {
        this.feed = new FeedSettings(b.kafkaBootstrap, b.groupId, b.topicReplication, b.pollTimeout, b.retryBackoff);
        this.host = b.host;
        this.port = b.port;
        this.limits = b.limits;
    }

    public static Builder builder() {
        return new Builder();
    }

    public FeedSettings feed() {
        return feed;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public ViewLimits limits() {
        return limits;
    }

    /** Required: kafkaBootstrap. Everything else has a default. */
    public static final class Builder {
        private String kafkaBootstrap;
        // The feed never commits: the group only names its clients in the broker's view.
        private String groupId = "trainstream-dashboard";
        // Every interface, as a container needs; use 127.0.0.1 to keep it on this machine.
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
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
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must be non-blank");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (limits == null) {
                throw new IllegalArgumentException("limits must not be null");
            }
            return new DashboardConfig(this);
        }
    }
}
