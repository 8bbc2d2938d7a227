/** Image-build step of Dockerfile.gpu: makes DJL download the CUDA libtorch into DJL_CACHE_DIR, then proves it is there. */
public final class FetchLibtorch {
    private FetchLibtorch() {}

    public static void main(String[] args) throws Exception {
        String version = requiredEnv("PYTORCH_VERSION");
        String flavor = requiredEnv("PYTORCH_FLAVOR");
        java.nio.file.Path dir = java.nio.file.Path.of(requiredEnv("DJL_CACHE_DIR"), "pytorch",
                version + "-" + flavor + "-linux-x86_64");
        try {
            // Setting PYTORCH_VERSION makes DJL skip the CPU native jar on the classpath and download this flavour.
            System.out.println("PyTorch engine " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
        } catch (ai.djl.engine.EngineException | UnsatisfiedLinkError e) {
            // Expected on a build host without an NVIDIA driver: the download happened, loading libcuda did not.
            // Decided here, not swallowed: the check below fails the build if the download itself failed.
            System.out.println("Engine not loadable on the build host (" + e.getMessage() + "); checking the download");
        }
        String[] required = {"libtorch_cuda.so", "libtorch_cpu.so"};
        for (String name : required) {
            if (!java.nio.file.Files.isRegularFile(dir.resolve(name))) {
                throw new IllegalStateException("libtorch " + version + "/" + flavor + " not fetched: missing " + dir.resolve(name));
            }
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            if (files.noneMatch(p -> p.getFileName().toString().endsWith("djl_torch.so"))) {
                throw new IllegalStateException("DJL JNI library not fetched into " + dir);
            }
        }
        System.out.println("libtorch " + version + "/" + flavor + " cached in " + dir);
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set for the libtorch fetch");
        }
        return value;
    }
}
