package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainstream.engine.runtime.EngineRuntime;
import dev.trainstream.engine.training.EngineOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench gpucheck} in its CI-sized rehearsal form: the CPU compared with itself runs every comparison the GPU
 * check runs and prints every line the GPU run will print; on a machine without a GPU, {@code --device gpu} is refused
 * before anything is trained.
 */
class GpuCheckTest {

    private record Result(int code, String out, String err) {
    }

    private static Result execute(String... args) {
        CommandLine line = BenchCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void givenTheCpuAsTheDevice_whenChecked_thenEveryComparisonRunsPassesAndIsPrinted() {
        Result result = execute("gpucheck", "--device", "cpu", "--steps", "3", "--batch", "8", "--eval-images", "40",
            "--width", "0.25", "--threads", "1");

        assertThat(result.code()).as(result.out() + result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).allMatch(l -> l.startsWith("gpucheck "));
        assertThat(lines).filteredOn(l -> l.startsWith("gpucheck loss step=")).hasSize(3);
        assertThat(lines).anyMatch(l -> l.startsWith("gpucheck device=cpu engine_devices=[cpu()] steps=3 batch=8"));
        assertThat(lines).anyMatch(l -> l.startsWith("gpucheck check=loss-curve result=PASS"));
        assertThat(lines).anyMatch(l -> l.startsWith("gpucheck check=evaluation result=PASS images=40"));
        for (String name : List.of("state-device-to-cpu", "state-cpu-to-device")) {
            String line = lines.stream().filter(l -> l.startsWith("gpucheck check=" + name + " ")).findFirst()
                .orElseThrow();
            Matcher counts = Pattern.compile("result=PASS tensors_equal=(\\d+) of=(\\d+) values=\\d+ global_step=3 ")
                .matcher(line);
            assertThat(counts.find()).as(line).isTrue();
            assertThat(counts.group(1)).isEqualTo(counts.group(2));
            assertThat(Integer.parseInt(counts.group(2))).isGreaterThan(50);
        }
        assertThat(lines.get(lines.size() - 1)).isEqualTo("gpucheck result=PASS passed=4 of=4");
    }

    @Test
    void givenNoGpu_whenTheGpuIsChecked_thenExit2NamingTheMissingGpuBeforeTraining() {
        assumeTrue(EngineRuntime.configure(EngineOptions.cpu(1)).getGpuCount() == 0, "this machine has a GPU");

        Result result = execute("gpucheck", "--device", "gpu", "--steps", "1", "--batch", "8", "--eval-images", "8",
            "--width", "0.25", "--threads", "1");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("GPU 0", "0 GPU(s)");
        assertThat(result.out()).doesNotContain("gpucheck loss");
    }

    @Test
    void givenBadTolerance_whenRun_thenExit2NamingIt() {
        Result result = execute("gpucheck", "--device", "cpu", "--loss-tolerance", "-1");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--loss-tolerance");
    }
}
