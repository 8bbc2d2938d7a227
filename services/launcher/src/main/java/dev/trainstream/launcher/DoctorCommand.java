package dev.trainstream.launcher;

import dev.trainstream.engine.training.EngineOptions;
import dev.trainstream.engine.runtime.EngineInfo;
import dev.trainstream.events.TrainstreamVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code trainstream doctor}: loads the engine and prints engine, libtorch version, devices and threads, and which
 * libtorch, JNI and CUDA files were loaded. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Print the deep-learning engine setup.")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("trainstream " + TrainstreamVersion.current());
        System.out.println("java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
            + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println(EngineInfo.describe());
        System.out.println(EngineInfo.describeNativeLibraries(EngineOptions.defaults()));
        return 0;
    }
}
