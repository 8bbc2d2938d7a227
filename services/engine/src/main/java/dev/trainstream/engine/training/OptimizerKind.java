package dev.trainstream.engine.training;

/** Which parameter-update rule a run uses; both keep their state in arrays the session owns and saves. */
public enum OptimizerKind {
    /** SGD with (optionally Nesterov) momentum, PyTorch semantics; L2 weight decay added to the gradient. */
    SGD,
    /** Adam with decoupled weight decay (Loshchilov and Hutter 2019), PyTorch semantics. */
    ADAMW
}
