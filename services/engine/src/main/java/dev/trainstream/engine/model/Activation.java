package dev.trainstream.engine.model;

/** The non-linearity after every batch norm: the paper's ReLU, or TensorFlow's ReLU6 variant. */
public enum Activation {
    /** max(0, x): the paper's choice and the default (fused kernel in libtorch). */
    RELU,
    /** min(6, max(0, x)): the TensorFlow reference variant; DJL has no fused kernel, so it runs as clip(0, 6). */
    RELU6
}
