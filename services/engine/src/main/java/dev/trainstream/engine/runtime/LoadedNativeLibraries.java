package dev.trainstream.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which libtorch, JNI bridge and CUDA runtime files this process actually has mapped, read from the kernel's map of
 * the process (Linux): what {@code trainstream doctor} reports, so a user pointing Trainstream at their own libtorch
 * ({@code PYTORCH_LIBRARY_PATH}) sees exactly which files were used rather than which were configured.
 */
public final class LoadedNativeLibraries {
    /** libtorch's own libraries, DJL's JNI bridge, and the CUDA runtime and its math libraries. */
    private static final Pattern ENGINE_FILE = Pattern.compile(
        ".*/(libtorch[^/]*\\.so[^/]*|libc10[^/]*\\.so[^/]*|[^/]*libdjl_torch\\.so|libcudart[^/]*\\.so[^/]*"
            + "|libcudnn\\.so[^/]*|libcublas\\.so[^/]*)$");

    private LoadedNativeLibraries() {
    }

    /** The engine's native files mapped into this process, in load order; empty where /proc is not there. */
    public static List<Path> engineFiles() {
        return engineFiles(Path.of("/proc/self/maps"));
    }

    /** As {@link #engineFiles()}, from a given map file (tests). */
    static List<Path> engineFiles(Path maps) {
        if (!Files.isReadable(maps)) {
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        try (var lines = Files.lines(maps)) {
            lines.forEach(line -> {
                int slash = line.indexOf('/');
                if (slash >= 0) {
                    String path = line.substring(slash).trim();
                    if (ENGINE_FILE.matcher(path).matches()) {
                        seen.add(path);
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        seen.forEach(p -> files.add(Path.of(p)));
        return files;
    }

    /** Whether a CUDA build of libtorch is loaded (its CUDA library is mapped). */
    public static boolean cudaLibtorch(List<Path> files) {
        return files.stream().anyMatch(p -> p.getFileName().toString().startsWith("libtorch_cuda"));
    }
}
