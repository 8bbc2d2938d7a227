package dev.trainstream.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trainstream.engine.training.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The augmentation setting: its spellings, and training states written before it existed. */
class AugmentationTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void givenEachLabel_whenParsed_thenItsChoice_andAnUnknownOneNamesTheAcceptedValues() {
        assertThat(Augmentation.parse("none")).isEqualTo(Augmentation.NONE);
        assertThat(Augmentation.parse(" Crop ")).isEqualTo(Augmentation.CROP);
        assertThat(Augmentation.parse("crop+flip")).isEqualTo(Augmentation.CROP_FLIP);
        assertThatThrownBy(() -> Augmentation.parse("flip")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("augmentation must be one of [none, crop, crop+flip], was 'flip'");
        assertThat(Augmentation.CROP.crops()).isTrue();
        assertThat(Augmentation.CROP.flips()).isFalse();
        assertThat(Augmentation.NONE.crops()).isFalse();
    }

    @Test
    void givenAStateOfEitherAge_whenRead_thenTheBooleanOfOldStatesMapsToWhatTheyDid() throws Exception {
        assertThat(json.writeValueAsString(Augmentation.CROP_FLIP)).isEqualTo("\"crop+flip\"");
        assertThat(json.readValue("\"crop\"", Augmentation.class)).isEqualTo(Augmentation.CROP);
        assertThat(json.readValue("true", Augmentation.class)).isEqualTo(Augmentation.CROP_FLIP);
        assertThat(json.readValue("false", Augmentation.class)).isEqualTo(Augmentation.NONE);

        // A whole training configuration as states before this setting saved it: "augment": false.
        TrainingConfig now = TrainingConfig.builder().setTotalSteps(10).optAugmentation(Augmentation.CROP).build();
        String written = json.writeValueAsString(now);
        assertThat(written).contains("\"augmentation\":\"crop\"");
        TrainingConfig old = json.readValue(written.replace("\"augmentation\":\"crop\"", "\"augment\":false"),
            TrainingConfig.class);
        assertThat(old.augmentation()).isEqualTo(Augmentation.NONE);
        assertThat(json.readValue(written, TrainingConfig.class)).isEqualTo(now);
    }
}
