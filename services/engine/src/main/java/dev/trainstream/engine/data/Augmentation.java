package dev.trainstream.engine.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a run does to its training images before normalising them: the CIFAR recipe (4-pixel padded random crop and a
 * random horizontal flip) suits small natural images; other data (digits, text, medical scans) may need less.
 * Recorded in every training state, so a resumed run augments exactly as it began.
 */
public enum Augmentation {
    /** Normalisation only. */
    NONE("none"),
    /** Random crop after 4 pixels of zero padding on every side. */
    CROP("crop"),
    /** Random crop, then a random left-right flip (the default, the CIFAR recipe). */
    CROP_FLIP("crop+flip");

    private final String label;

    Augmentation(String label) {
        this.label = label;
    }

    /** The name used in configuration, provenance and training states ({@code none}, {@code crop}, {@code crop+flip}). */
    @JsonValue
    public String label() {
        return label;
    }

    /** Parses a configuration value; the error names the accepted ones. */
    public static Augmentation parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.label.equals(wanted)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("augmentation must be one of "
                + Arrays.stream(values()).map(Augmentation::label).toList() + ", was '" + value + "'"));
    }

    /**
     * Reads a saved training state: a label, or the boolean that states written before this setting existed carry
     * ({@code true} was crop + flip, {@code false} none).
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Augmentation fromJson(Object value) {
        if (value instanceof Boolean on) {
            return on ? CROP_FLIP : NONE;
        }
        return parse(String.valueOf(value));
    }

    /** Whether training images are randomly cropped. */
    public boolean crops() {
        return this != NONE;
    }

    /** Whether training images are randomly flipped left to right. */
    public boolean flips() {
        return this == CROP_FLIP;
    }
}
