package dev.trainstream.bench;

import dev.trainstream.engine.training.DeviceChoice;
import dev.trainstream.engine.training.EngineOptions;

/**
 * Where a benchmark runs both frameworks: the CPU, or the first GPU. One setting names the device for the DJL side
 * ({@link #engine}) and for the PyTorch peer ({@link #torchName}), so the two sides can never run on different ones.
 */
public enum BenchDevice {
    /** The CPU (the default of every benchmark). */
    CPU,
    /** GPU 0 (CUDA): the DJL side fails at start when the engine sees no GPU, the peer when torch sees no CUDA. */
    GPU;

    /** The engine's device selection: the CPU, or exactly GPU 0 (never a silent fallback to the CPU). */
    public DeviceChoice choice() {
        return this == CPU ? DeviceChoice.cpu() : DeviceChoice.gpus(0);
    }

    /** Engine options with {@code threads} intra-op threads on this device. */
    public EngineOptions engine(int threads) {
        return new EngineOptions(threads, choice());
    }

    /** The device as PyTorch spells it ({@code torch.device(...)}): {@code cpu} or {@code cuda:0}. */
    public String torchName() {
        return this == CPU ? "cpu" : "cuda:0";
    }
}
