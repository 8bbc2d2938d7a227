package dev.trainstream.launcher;

import dev.trainstream.events.clients.KafkaClients;
import dev.trainstream.events.consume.CommitStamp;
import dev.trainstream.storage.ObjectInfo;
import dev.trainstream.storage.ObjectStore;
import dev.trainstream.storage.RetryPolicy;
import dev.trainstream.storage.checkpoint.BestModelPointer;
import dev.trainstream.storage.checkpoint.BestModelStore;
import dev.trainstream.storage.checkpoint.CheckpointLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainstream status}: how far behind each consumer group is (per topic), and per run in the bucket its newest
 * checkpoint and the best model its {@code best.json} points to.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show consumer-group lag per topic, and each run's newest checkpoint and best model (from S3).")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Option(names = "--run", paramLabel = "ID", description = "Only this run's checkpoints (default: every run).")
    String runId;

    @Option(names = "--timeout-seconds", defaultValue = "30",
        description = "How long each Kafka call may take. Default: ${DEFAULT-VALUE}")
    long timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        printLag(out);
        out.println();
        printRuns(out);
        out.flush();
        return 0;
    }

    private void printLag(PrintWriter out) throws InterruptedException, ExecutionException, TimeoutException {
        String format = "%-36s %-30s %10s %10s %8s  %s%n";
        out.printf(Locale.ROOT, format, "GROUP", "TOPIC", "COMMITTED", "END", "LAG", "LAST COMMIT");
        try (Admin admin = KafkaClients.admin(connection.kafkaBootstrap, "trainstream-status",
            Duration.ofSeconds(timeoutSeconds))) {
            for (GroupListing group : await(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all())) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    await(admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata());
                Map<TopicPartition, ListOffsetsResultInfo> ends = await(admin.listOffsets(latest(committed),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
                Instant now = Instant.now();
                for (Map.Entry<String, long[]> topic : perTopic(committed, ends).entrySet()) {
                    long[] sums = topic.getValue();
                    out.printf(Locale.ROOT, format, TerminalText.clean(group.groupId()), topic.getKey(), sums[0],
                        sums[1], Math.max(0, sums[1] - sums[0]), lastCommit(committed, topic.getKey(), now));
                }
            }
        }
    }

    /**
     * How long ago the group last committed on {@code topic}, from the trainers' commit stamps ("-" when no commit
     * there carries one): an old one on a trainer group is an abandoned run that backpressure no longer waits for.
     */
    private static String lastCommit(Map<TopicPartition, OffsetAndMetadata> committed, String topic, Instant now) {
        return committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
            .map(e -> CommitStamp.parse(e.getValue().metadata())).flatMap(Optional::stream)
            .map(stamp -> stamp.age(now)).min(Comparator.naturalOrder())
            .map(age -> ago(age.isNegative() ? Duration.ZERO : age)).orElse("-");
    }

    static String ago(Duration age) {
        if (age.toMinutes() < 1) {
            return age.toSeconds() + "s ago";
        }
        if (age.toHours() < 1) {
            return age.toMinutes() + "m ago";
        }
        return age.toDays() < 1 ? age.toHours() + "h " + age.toMinutesPart() + "m ago" : age.toDays() + "d ago";
    }

    private static Map<TopicPartition, OffsetSpec> latest(Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, OffsetSpec> specs = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        committed.keySet().forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        return specs;
    }

    /** topic → {committed, end} summed over its partitions that have a committed offset. */
    private static Map<String, long[]> perTopic(Map<TopicPartition, OffsetAndMetadata> committed,
                                                Map<TopicPartition, ListOffsetsResultInfo> ends) {
        Map<String, long[]> sums = new TreeMap<>();
        committed.forEach((tp, offset) -> {
            if (offset != null && ends.containsKey(tp)) {
                long[] sum = sums.computeIfAbsent(tp.topic(), t -> new long[2]);
                sum[0] += offset.offset();
                sum[1] += ends.get(tp).offset();
            }
        });
        return sums;
    }

    private void printRuns(PrintWriter out) throws IOException {
        String format = "%-36s %-48s %-13s %s%n";
        out.printf(Locale.ROOT, format, "RUN", "NEWEST CHECKPOINT", "BEST ACC", "BEST MODEL");
        try (ObjectStore store = ObjectStore.connect(connection.s3(), RetryPolicy.none())) {
            String prefix = runId == null ? "runs/" : CheckpointLayout.runPrefix(runId);
            Map<String, String> newest = new TreeMap<>();
            Map<String, Long> newestStep = new TreeMap<>();
            for (ObjectInfo object : store.list(prefix)) {
                String run = runOf(object.key());
                if (run == null) {
                    continue;
                }
                OptionalLong step = CheckpointLayout.stepOf(object.key());
                if (step.isPresent() && step.getAsLong() >= newestStep.getOrDefault(run, -1L)) {
                    newestStep.put(run, step.getAsLong());
                    newest.put(run, store.uri(object.key()).toString());
                }
                newest.putIfAbsent(run, "-");
            }
            BestModelStore bestModels = new BestModelStore(store);
            for (Map.Entry<String, String> run : newest.entrySet()) {
                String accuracy = "-";
                String best = "-";
                try {
                    Optional<BestModelPointer> pointer = bestModels.current(run.getKey());
                    if (pointer.isPresent()) {
                        accuracy = String.format(Locale.ROOT, "%.2f%%", pointer.get().accuracy() * 100)
                            + (pointer.get().testTimeAugmentation() == null ? ""
                                : " " + TerminalText.clean(pointer.get().testTimeAugmentation()));
                        best = "step " + pointer.get().step() + " " + pointer.get().checkpointUri();
                    }
                } catch (BestModelStore.BestPointerUnreadableException e) {
                    best = "UNREADABLE " + e.getMessage(); // one bad pointer must not hide the other runs
                }
                out.printf(Locale.ROOT, format, TerminalText.clean(run.getKey()), TerminalText.clean(run.getValue()),
                    accuracy, TerminalText.clean(best));
            }
            if (newest.isEmpty()) {
                out.println(runId == null ? "no runs in the bucket" : "no objects of run " + TerminalText.clean(runId));
            }
        }
    }

    /** The run id of a key runs/ID/..., or null for anything else. */
    private static String runOf(String key) {
        if (!key.startsWith("runs/")) {
            return null;
        }
        int slash = key.indexOf('/', "runs/".length());
        return slash < 0 ? null : key.substring("runs/".length(), slash);
    }

    private <T> T await(KafkaFuture<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeoutSeconds, TimeUnit.SECONDS);
    }
}
