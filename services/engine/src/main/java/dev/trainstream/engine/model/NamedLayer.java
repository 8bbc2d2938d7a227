package dev.trainstream.engine.model;

import ai.djl.nn.Block;

/**
 * One leaf layer of the network with a Keras-style name, so summaries and parameter files speak the paper's language.
 *
 * @param name the layer name, e.g. {@code conv_dw_3_bn}
 * @param block the DJL block that computes it
 */
public record NamedLayer(String name, Block block) {

    /** Validates that both parts are present. */
    public NamedLayer {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must be non-blank");
        }
        if (block == null) {
            throw new IllegalArgumentException("block must be set for layer " + name);
        }
    }
}
