package io.junitebpf.bpf;

/**
 * A named program return value ({@link XdpAction}, {@link TcAction}), so a test
 * can say {@code XDP_DROP} instead of 1.
 */
public sealed interface Verdict permits XdpAction, TcAction {

    /** The number the program returns. */
    int value();

    /** The kernel's name, e.g. "XDP_DROP". */
    String name();
}
