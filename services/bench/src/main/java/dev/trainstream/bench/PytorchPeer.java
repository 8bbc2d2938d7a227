package dev.trainstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.engine.runtime.AllocatorTuning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code bench/pytorch_peer.py} in a separate python process and reads its one JSON result line. */
public final class PytorchPeer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;
    private final Path script;
    private final BenchDevice device;

    /** Peer run by {@code python} (e.g. /usr/bin/python3) from {@code script}, on the CPU. */
    public PytorchPeer(String python, Path script) {
        this(python, script, BenchDevice.CPU);
    }

    /** Peer run by {@code python} from {@code script} on {@code device} (its {@code --device}). */
    public PytorchPeer(String python, Path script, BenchDevice device) {
        this.python = python;
        this.script = script;
        this.device = device;
    }

    /** Runs one loop with glibc's default allocator settings (as a user runs the script). */
    public BenchResult run(String mode, int batch, int steps, int warmup, int threads, boolean relu6)
            throws IOException, InterruptedException {
        return run(mode, batch, steps, warmup, threads, relu6, null);
    }

    /**
     * Runs one loop; {@code glibcTunables} is the peer's {@code GLIBC_TUNABLES} (null: none, whatever this JVM has).
     * The result is labelled "pytorch" without tunables and "pytorch+malloc" with them. Fails with the peer's output
     * when it does not print a result.
     */
    public BenchResult run(String mode, int batch, int steps, int warmup, int threads, boolean relu6,
            String glibcTunables) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--mode", mode,
                "--batch", Integer.toString(batch), "--steps", Integer.toString(steps),
                "--warmup", Integer.toString(warmup), "--threads", Integer.toString(threads),
                "--device", device.torchName()));
        if (relu6) {
            command.add("--relu6");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (glibcTunables == null) {
            builder.environment().remove(AllocatorTuning.VARIABLE);
        } else {
            builder.environment().put(AllocatorTuning.VARIABLE, glibcTunables);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("pytorch peer failed: " + String.join(" ", command) + "\n" + output);
        }
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode json = JSON.readTree(last);
        return new BenchResult(glibcTunables == null ? "pytorch" : "pytorch+malloc", mode, batch, steps, json.path("images_per_sec").asDouble(),
                json.path("ms_per_step").asDouble(), json.path("cpu_ms_per_step").asDouble(),
                json.path("rss_mb").asDouble(), json.path("minor_faults_per_step").asDouble(Double.NaN));
    }
}
