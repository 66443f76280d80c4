package io.junitebpf.bpf;

/**
 * The running kernel lacks a feature. {@link #expected()} says whether it should
 * have had it: its version is at least the feature's minimum and no Kconfig
 * option is known to have compiled it out — then a test must fail, not skip.
 */
public final class FeatureUnavailableException extends RuntimeException {

    private final KernelFeature feature;
    private final boolean expected;

    public FeatureUnavailableException(KernelFeature feature, String reason, boolean expected) {
        super(feature + " unavailable: " + reason + " (needs Linux " + feature.minimumKernel() + "+"
                + (feature.configOption() == null ? "" : " with " + feature.configOption() + "=y") + ")");
        this.feature = feature;
        this.expected = expected;
    }

    public KernelFeature feature() {
        return feature;
    }

    /** Whether this kernel should have the feature (so its absence is a defect, not a limit). */
    public boolean expected() {
        return expected;
    }
}
