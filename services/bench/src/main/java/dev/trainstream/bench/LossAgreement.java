package dev.trainstream.bench;

/**
 * Whether two loss curves of the same run on two devices agree: at every step
 * {@code |device - reference| <= tolerance * (1 + |reference|)} (absolute near zero, relative for large losses).
 * A NaN or infinite loss on either side never agrees.
 *
 * @param maxDiff the largest absolute difference
 * @param worstStep the step (0-based) whose difference used most of its allowance
 * @param worstRatio that difference over its allowance (above 1 = failed)
 * @param passed every step within its allowance
 */
record LossAgreement(double maxDiff, int worstStep, double worstRatio, boolean passed) {

    /** Compares the curves step by step; they must be equally long and non-empty. */
    static LossAgreement of(double[] reference, double[] device, double tolerance) {
        if (reference.length == 0 || reference.length != device.length) {
            throw new IllegalArgumentException("loss curves of " + reference.length + " and " + device.length
                + " steps cannot be compared");
        }
        double maxDiff = 0;
        int worst = 0;
        double worstRatio = -1;
        boolean passed = true;
        for (int i = 0; i < reference.length; i++) {
            double diff = Math.abs(device[i] - reference[i]);
            double allowance = tolerance * (1 + Math.abs(reference[i]));
            double ratio = Double.isFinite(diff) ? (allowance > 0 ? diff / allowance : (diff == 0 ? 0 : 1e9)) : 1e9;
            boolean within = Double.isFinite(diff) && diff <= allowance;
            passed &= within;
            if (Double.isFinite(diff)) {
                maxDiff = Math.max(maxDiff, diff);
            } else {
                maxDiff = Double.NaN;
            }
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        return new LossAgreement(maxDiff, worst, worstRatio, passed);
    }
}
