package dev.trainstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Thread names fold into one line per kind of thread, and the profile names what burnt CPU. */
class ThreadCpuProfileTest {

    @Test
    void givenPoolThreadNames_whenGrouped_thenNumbersAndClientIdsAreFolded() {
        assertThat(ThreadCpuProfile.group("trainer-prefetch-3")).isEqualTo("trainer-prefetch");
        assertThat(ThreadCpuProfile.group("kafka-producer-network-thread | trainstream-trainer"))
            .isEqualTo("kafka-producer-network-thread");
        assertThat(ThreadCpuProfile.group("pool-4-thread-1")).isEqualTo("pool-thread");
        assertThat(ThreadCpuProfile.group("main")).isEqualTo("main");
    }

    @Test
    void givenAThreadThatSpins_whenRendered_thenItsGroupIsListedWithItsCpu() throws Exception {
        ThreadCpuProfile profile = new ThreadCpuProfile();
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch rendered = new CountDownLatch(1);
        Thread spinner = new Thread(() -> {
            long until = System.nanoTime() + 200_000_000L;
            long x = 0;
            while (System.nanoTime() < until) {
                x += System.nanoTime() % 7;
            }
            spun.countDown();
            try {
                rendered.await(10, TimeUnit.SECONDS); // alive while the profile reads its CPU time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spinner-7");
        spinner.start();
        assertThat(spun.await(10, TimeUnit.SECONDS)).isTrue();

        String text = profile.render();
        rendered.countDown();
        spinner.join(10_000);

        assertThat(text).containsPattern("0\\.[0-9]{3} s  spinner\\n").contains("process");
    }
}
