package io.junitebpf.bpf;

import java.util.HexFormat;
import java.util.Objects;

/**
 * What one {@link Program#testRun} returned.
 *
 * @param returnValue  the program's return value (see {@link #is} to compare it with a {@link Verdict})
 * @param data         the packet after the program ran (empty when the run had no data); {@link #data()}
 *                     returns a copy, so a result can share the run's input when the program left it as it was
 * @param context      the context after the run (empty unless the run asked for it back)
 * @param averageNanos the kernel's average duration of one repetition, in nanoseconds
 */
public record TestRunResult(int returnValue, byte[] data, byte[] context, long averageNanos) {

    public TestRunResult {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(context, "context");
    }

    /** The packet after the program ran (a copy). */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Whether the program returned {@code verdict}, e.g. {@code result.is(XdpAction.XDP_DROP)}. */
    public boolean is(Verdict verdict) {
        return returnValue == verdict.value();
    }

    /** The return value as an XDP action; throws when it is none. */
    public XdpAction xdpAction() {
        return XdpAction.of(returnValue);
    }

    /** The return value as a TC_ACT_* value; throws when it is none. */
    public TcAction tcAction() {
        return TcAction.of(returnValue);
    }

    @Override
    public String toString() {
        return "TestRunResult[returnValue=" + returnValue + ", data=" + HexFormat.of().formatHex(data)
                + ", context=" + HexFormat.of().formatHex(context) + ", averageNanos=" + averageNanos + "]";
    }
}
