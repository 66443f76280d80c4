package io.junitebpf.bpf;

/** The kernel's {@code enum xdp_action}: what an XDP program returns. */
public enum XdpAction implements Verdict {
    XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT;

    private static final XdpAction[] VALUES = values();

    @Override
    public int value() {
        return ordinal();
    }

    /**
     * The action a program returned.
     *
     * @throws IllegalArgumentException when {@code value} is no XDP action (the kernel treats it as a bug
     *                                  and drops the packet, as for XDP_ABORTED)
     */
    public static XdpAction of(int value) {
        if (value < 0 || value >= VALUES.length) {
            throw new IllegalArgumentException("XDP return value " + value + " is no enum xdp_action value (0.."
                    + (VALUES.length - 1) + ": " + java.util.Arrays.toString(VALUES) + ")");
        }
        return VALUES[value];
    }
}
