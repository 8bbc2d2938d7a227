package dev.trainstream.engine.training;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which devices train: the CPU, every GPU DJL reports (falling back to the CPU when there is none), or chosen GPUs.
 * {@link #resolve(int)} is pure so the selection is testable on a machine without CUDA.
 *
 * @param kind the selection rule
 * @param gpuIds GPU indices for {@link Kind#GPUS}; empty otherwise
 */
public record DeviceChoice(Kind kind, List<Integer> gpuIds) {

    /** Selection rules. */
    public enum Kind {
        /** The CPU only. */
        CPU,
        /** All GPUs when at least one is visible, otherwise the CPU. */
        AUTO,
        /** Exactly the listed GPUs; fails when one is missing. */
        GPUS
    }

    /** Validates the rule and its ids. */
    public DeviceChoice {
        if (kind == null) {
            throw new IllegalArgumentException("devices kind must be set");
        }
        gpuIds = gpuIds == null ? List.of() : List.copyOf(gpuIds);
        if (kind == Kind.GPUS && gpuIds.isEmpty()) {
            throw new IllegalArgumentException("devices GPUS needs at least one GPU id");
        }
        if (kind != Kind.GPUS && !gpuIds.isEmpty()) {
            throw new IllegalArgumentException("devices " + kind + " takes no GPU ids");
        }
        if (gpuIds.stream().anyMatch(id -> id < 0) || gpuIds.stream().distinct().count() != gpuIds.size()) {
            throw new IllegalArgumentException("devices GPU ids must be distinct and >= 0, got " + gpuIds);
        }
    }

    /** The CPU only. */
    public static DeviceChoice cpu() {
        return new DeviceChoice(Kind.CPU, List.of());
    }

    /** All visible GPUs, else the CPU. */
    public static DeviceChoice auto() {
        return new DeviceChoice(Kind.AUTO, List.of());
    }

    /** Exactly these GPUs. */
    public static DeviceChoice gpus(int... ids) {
        List<Integer> list = new ArrayList<>();
        for (int id : ids) {
            list.add(id);
        }
        return new DeviceChoice(Kind.GPUS, list);
    }

    /** The CLI/env spelling that {@link #parse} reads back: {@code cpu}, {@code auto} or {@code gpu:0,1}. */
    public String spelling() {
        return switch (kind) {
            case CPU -> "cpu";
            case AUTO -> "auto";
            case GPUS -> "gpu:" + gpuIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        };
    }

    /** Parses {@code cpu}, {@code auto} or {@code gpu:0,1} (the CLI/env spelling). */
    public static DeviceChoice parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("devices must be cpu, auto or gpu:<ids>, got null");
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("cpu")) {
            return cpu();
        }
        if (value.equals("auto")) {
            return auto();
        }
        if (value.startsWith("gpu:")) {
            try {
                return gpus(Arrays.stream(value.substring(4).split(","))
                        .mapToInt(s -> Integer.parseInt(s.trim())).toArray());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("devices must be cpu, auto or gpu:<ids>, got " + text, e);
            }
        }
        throw new IllegalArgumentException("devices must be cpu, auto or gpu:<ids>, got " + text);
    }

    /**
     * The devices to use given how many GPUs the engine reports; the first is the main device that holds the
     * master parameters and optimizer state.
     */
    public List<Device> resolve(int availableGpus) {
        if (availableGpus < 0) {
            throw new IllegalArgumentException("availableGpus must be >= 0, got " + availableGpus);
        }
        return switch (kind) {
            case CPU -> List.of(Device.cpu());
            case AUTO -> {
                if (availableGpus == 0) {
                    yield List.of(Device.cpu());
                }
                List<Device> all = new ArrayList<>();
                for (int i = 0; i < availableGpus; i++) {
                    all.add(Device.gpu(i));
                }
                yield List.copyOf(all);
            }
            case GPUS -> {
                List<Device> chosen = new ArrayList<>();
                for (int id : gpuIds) {
                    if (id >= availableGpus) {
                        throw new IllegalArgumentException(
                                "devices asks for GPU " + id + " but the engine reports " + availableGpus + " GPU(s)");
                    }
                    chosen.add(Device.gpu(id));
                }
                yield List.copyOf(chosen);
            }
        };
    }
}
