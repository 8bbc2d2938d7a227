package dev.trainstream.engine.training;

/** Which parameters receive weight decay. */
public enum DecayPolicy {
    /** Conv and classifier weights, depthwise included; never BN gamma/beta or biases (the CIFAR default). */
    CONV_AND_LINEAR_WEIGHTS,
    /** The paper's rule: like {@link #CONV_AND_LINEAR_WEIGHTS} but no decay on depthwise filters either. */
    PAPER,
    /** Every trainable parameter, as {@code torch.optim.SGD(weight_decay=...)} does. */
    ALL
}
