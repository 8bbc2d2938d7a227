package dev.trainstream.ingest.publish;

import dev.trainstream.events.consume.CommitStamp;
import dev.trainstream.events.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the trainers are: the committed offsets, on one batches-topic partition, of every consumer group whose id
 * starts with a prefix. Each trainer run has its own group ({@code trainstream-trainer-<run>}) and commits at each
 * checkpoint, so a group's committed offset is how far that run has durably trained. Trainers assign partitions
 * instead of joining the group, so group membership says nothing about them; only committed offsets do, and the
 * {@link CommitStamp} in each commit's metadata says when the run last committed.
 */
public final class TrainerPositions {
    private final Admin admin;
    private final String groupPrefix;

    /**
     * One trainer group's committed next offset on the partition asked about.
     *
     * @param stamp who committed it and when; empty when the metadata holds no stamp (a trainer from before stamps,
     *              or a commit made by hand), so the commit's age is unknown
     */
    public record GroupOffset(String groupId, long offset, Optional<CommitStamp> stamp) {
        /** Whether the group's last commit is known to be older than {@code staleAfter} (zero = never stale). */
        public boolean staleAt(Instant now, Duration staleAfter) {
            return !staleAfter.isZero() && stamp.map(s -> s.age(now).compareTo(staleAfter) > 0).orElse(false);
        }
    }

    private TrainerPositions(Admin admin, String groupPrefix) {
        this.admin = admin;
        this.groupPrefix = groupPrefix;
    }

    /** Over the caller's admin client (ingest's one, shared with its Kafka checks), which the caller closes. */
    public static TrainerPositions over(Admin admin, String groupPrefix) {
        if (admin == null) {
            throw new IllegalArgumentException("admin must be set");
        }
        return new TrainerPositions(admin, groupPrefix);
    }

    public String groupPrefix() {
        return groupPrefix;
    }

    /**
     * Every trainer group with a committed offset on {@code partition} of the batches topic, slowest first. Groups
     * of the prefix without an offset there (a trainer that has not checkpointed yet, or reads another partition's
     * dataset) are not in the list.
     */
    public List<GroupOffset> committed(int partition) throws ExecutionException, InterruptedException {
        TopicPartition tp = new TopicPartition(Topics.BATCHES.name(), partition);
        List<String> groups = admin.listGroups().all().get().stream().map(GroupListing::groupId)
            .filter(id -> id.startsWith(groupPrefix)).sorted().toList();
        if (groups.isEmpty()) {
            return List.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(tp))));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = admin.listConsumerGroupOffsets(specs).all().get();
        return offsets.entrySet().stream()
            .filter(e -> e.getValue() != null && e.getValue().get(tp) != null)
            .map(e -> new GroupOffset(e.getKey(), e.getValue().get(tp).offset(),
                CommitStamp.parse(e.getValue().get(tp).metadata())))
            .sorted(Comparator.comparingLong(GroupOffset::offset).thenComparing(GroupOffset::groupId))
            .toList();
    }
}
