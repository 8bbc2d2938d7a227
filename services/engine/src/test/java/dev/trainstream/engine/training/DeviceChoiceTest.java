package dev.trainstream.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** Device selection is decided from the GPU count alone, so it is testable without CUDA. */
class DeviceChoiceTest {

    @Test
    void givenAuto_whenNoGpu_thenCpu_andWhenGpusVisible_thenAllOfThem() {
        assertThat(DeviceChoice.auto().resolve(0)).containsExactly(Device.cpu());
        assertThat(DeviceChoice.auto().resolve(3)).containsExactly(Device.gpu(0), Device.gpu(1), Device.gpu(2));
    }

    @Test
    void givenCpu_whenGpusVisible_thenStillCpu() {
        assertThat(DeviceChoice.cpu().resolve(4)).containsExactly(Device.cpu());
    }

    @Test
    void givenExplicitGpus_whenPresent_thenThoseInOrder_andWhenMissing_thenRejected() {
        assertThat(DeviceChoice.gpus(1, 0).resolve(2)).containsExactly(Device.gpu(1), Device.gpu(0));
        assertThatThrownBy(() -> DeviceChoice.gpus(2).resolve(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GPU 2");
        assertThatThrownBy(() -> DeviceChoice.gpus(1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
    }

    @Test
    void givenText_whenParsed_thenChoice_andGarbageRejected() {
        assertThat(DeviceChoice.parse("cpu")).isEqualTo(DeviceChoice.cpu());
        assertThat(DeviceChoice.parse(" AUTO ")).isEqualTo(DeviceChoice.auto());
        assertThat(DeviceChoice.parse("gpu:0,2")).isEqualTo(DeviceChoice.gpus(0, 2));
        assertThatThrownBy(() -> DeviceChoice.parse("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("devices");
        assertThatThrownBy(() -> DeviceChoice.parse("gpu:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EngineOptions(-1, DeviceChoice.cpu()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
    }
}
