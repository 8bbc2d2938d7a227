package dev.trainstream.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainstream.engine.training.EngineOptions;
import org.junit.jupiter.api.Test;

/** The doctor line reports what is actually in effect. */
class EngineInfoTest {

    @Test
    void givenCpuWithTwoThreads_whenDescribed_thenEngineVersionDeviceAndThreadsAppear() {
        String line = EngineInfo.describe(EngineOptions.cpu(2));

        assertThat(line).contains("engine=PyTorch", "libtorch=2.", "devices=[cpu()]", "intraOpThreads=2");
        assertThat(EngineRuntime.intraOpThreads()).isEqualTo(2);
    }
}
