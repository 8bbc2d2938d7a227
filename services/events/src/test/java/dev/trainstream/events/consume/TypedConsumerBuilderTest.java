package dev.trainstream.events.consume;

import dev.trainstream.events.produce.DeadLetters;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainstream.events.codec.EventCodec;
import dev.trainstream.events.topics.Topics;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Specification: a consumer is not built from incomplete settings; the message names the missing setting. */
class TypedConsumerBuilderTest {

    private final EventCodec codec = EventCodec.create("/trainstream/test");

    @Test
    void givenNoBootstrap_whenBuilding_thenIllegalArgumentNamingBootstrap() {
        assertThatThrownBy(() -> TypedConsumer.builder(Topics.BATCHES).groupId("g").codec(codec).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bootstrap");
    }

    @Test
    void givenNoGroupId_whenBuilding_thenIllegalArgumentNamingGroupId() {
        assertThatThrownBy(() -> TypedConsumer.builder(Topics.BATCHES).bootstrap("127.0.0.1:1").codec(codec).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("groupId");
    }

    @Test
    void givenNoDeadLetters_whenBuilding_thenIllegalArgumentNamingDeadLetters() {
        assertThatThrownBy(() -> TypedConsumer.builder(Topics.BATCHES).bootstrap("127.0.0.1:1").groupId("g")
                .codec(codec).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("deadLetters");
    }

    @Test
    void givenNullTopicOrExtra_whenConfiguring_thenIllegalArgument() {
        assertThatThrownBy(() -> TypedConsumer.builder(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("topic");
        assertThatThrownBy(() -> TypedConsumer.builder(Topics.RUNS).extra((Properties) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("extra");
    }

    @Test
    void givenBlankService_whenCreatingDeadLetters_thenIllegalArgumentNamingService() {
        assertThatThrownBy(() -> DeadLetters.create("127.0.0.1:1", codec, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("service");
    }
}
