package dev.trainstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection seam is inert unless asked, and rejects a malformed request instead of silently never firing.
 * (That it halts at the named point is what {@link ExactlyOnceResumeTest} relies on and checks via exit status 137.)
 */
class CrashPointTest {
    @AfterEach
    void clear() {
        System.clearProperty(CrashPoint.PROPERTY);
    }

    @Test
    void givenNoProperty_whenAPointIsReached_thenNothingHappens() {
        for (CrashPoint point : CrashPoint.values()) {
            point.reached(1);
        }
        assertThat(System.getProperty(CrashPoint.PROPERTY)).isNull();
    }

    @Test
    void givenAnotherPointOrStep_whenReached_thenItReturns() {
        System.setProperty(CrashPoint.PROPERTY, CrashPoint.AFTER_OBJECT.at(40));
        CrashPoint.AFTER_OBJECT.reached(39);
        CrashPoint.BEFORE_COMMIT.reached(40);
        assertThat(CrashPoint.AFTER_OBJECT.at(40)).isEqualTo("after-object:step=40");
    }

    @Test
    void givenAMalformedSpec_whenReached_thenItFailsNamingTheProperty() {
        System.setProperty(CrashPoint.PROPERTY, "after-object@40");
        assertThatThrownBy(() -> CrashPoint.AFTER_OBJECT.reached(40)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(CrashPoint.PROPERTY).hasMessageContaining("after-object@40");
    }
}
