package dev.trainstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Self time per operator from a libtorch profiler Chrome trace (the format both DJL's {@code JniUtils.stopProfile}
 * and PyTorch's {@code export_chrome_trace} write), so two frameworks' steps can be compared op by op.
 */
public final class TraceSummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Double> selfMicros;
    private final Map<String, Long> calls;

    private TraceSummary(Map<String, Double> selfMicros, Map<String, Long> calls) {
        this.selfMicros = selfMicros;
        this.calls = calls;
    }

    /** Reads a trace: a JSON array of events, or an object with {@code traceEvents}. */
    public static TraceSummary read(Path trace) throws IOException {
        JsonNode root = JSON.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        Map<String, List<Span>> byThread = new HashMap<>();
        for (JsonNode event : events) {
            if (!"X".equals(event.path("ph").asText()) || !event.has("dur")) {
                continue;
            }
            String thread = event.path("pid").asText() + "/" + event.path("tid").asText();
            byThread.computeIfAbsent(thread, t -> new ArrayList<>()).add(new Span(event.path("name").asText(),
                    event.path("ts").asDouble(), event.path("dur").asDouble()));
        }
        Map<String, Double> self = new HashMap<>();
        Map<String, Long> calls = new HashMap<>();
        for (List<Span> spans : byThread.values()) {
            spans.sort(Comparator.comparingDouble(Span::start).thenComparing(Comparator.comparingDouble(Span::duration)
                    .reversed()));
            accumulate(spans, self, calls);
        }
        return new TraceSummary(self, calls);
    }

    private static void accumulate(List<Span> spans, Map<String, Double> self, Map<String, Long> calls) {
        Deque<double[]> open = new ArrayDeque<>(); // {end, childMicros, index}
        List<double[]> finished = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            while (!open.isEmpty() && open.peek()[0] <= span.start()) {
                finished.add(open.pop());
            }
            if (!open.isEmpty()) {
                open.peek()[1] += span.duration();
            }
            open.push(new double[] {span.start() + span.duration(), 0, i});
        }
        finished.addAll(open);
        for (double[] entry : finished) {
            Span span = spans.get((int) entry[2]);
            self.merge(span.name(), span.duration() - entry[1], Double::sum);
            calls.merge(span.name(), 1L, Long::sum);
        }
    }

    /** Operator name to summed self time in microseconds. */
    public Map<String, Double> selfMicros() {
        return selfMicros;
    }

    /** Operator name to number of calls. */
    public long calls(String name) {
        return calls.getOrDefault(name, 0L);
    }

    /** Sum of all self times, microseconds. */
    public double totalMicros() {
        return selfMicros.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private record Span(String name, double start, double duration) {}
}
