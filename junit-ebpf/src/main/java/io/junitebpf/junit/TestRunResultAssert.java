package io.junitebpf.junit;

import io.junitebpf.bpf.TcAction;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.bpf.Verdict;
import io.junitebpf.bpf.XdpAction;
import io.junitebpf.packet.PacketBuilder;
import io.junitebpf.packet.PacketFields;
import org.assertj.core.api.AbstractAssert;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Assertions on one {@code Program.testRun}: the verdict by its kernel name, the output packet field by field.
 */
public final class TestRunResultAssert extends AbstractAssert<TestRunResultAssert, TestRunResult> {

    TestRunResultAssert(TestRunResult actual) {
        super(actual, TestRunResultAssert.class);
    }

    /** The program returned {@code verdict}; a failure names both verdicts, e.g. "XDP_DROP but was XDP_PASS (2)". */
    public TestRunResultAssert hasVerdict(Verdict verdict) {
        Objects.requireNonNull(verdict, "verdict");
        isNotNull();
        if (!actual.is(verdict)) {
            failWithMessage("%nExpecting %s verdict %s but was %s", kind(verdict), verdict.name(),
                    describe(verdict, actual.returnValue()));
        }
        return this;
    }

    /**
     * The packet after the run equals {@code expected}; a failure lists the fields that differ
     * ({@link PacketFields#differences}) and shows both packets as annotated hex.
     */
    public TestRunResultAssert hasOutputData(byte[] expected) {
        Objects.requireNonNull(expected, "expected");
        isNotNull();
        byte[] data = actual.data();
        if (!Arrays.equals(expected, data)) {
            List<String> differences = PacketFields.differences(expected, data);
            failWithMessage("%nExpecting the output packet (%s bytes) to equal the expected one (%s bytes), but:%n"
                    + "  %s%nexpected:%n%sbut was:%n%s", data.length, expected.length,
                    differences.isEmpty() ? "the bytes differ" : String.join("\n  ", differences),
                    PacketFields.of(expected).annotatedHex(), PacketFields.of(data).annotatedHex());
        }
        return this;
    }

    /** {@link #hasOutputData} with the packet {@code expected} builds. */
    public TestRunResultAssert hasOutputPacket(PacketBuilder expected) {
        return hasOutputData(Objects.requireNonNull(expected, "expected").build());
    }

    private static String kind(Verdict verdict) {
        return verdict instanceof XdpAction ? "XDP" : "tc";
    }

    /** "XDP_PASS (2)", or "7 (no XDP action)" for a value the verdict's kind has no name for. */
    private static String describe(Verdict kind, int value) {
        try {
            Verdict named = kind instanceof XdpAction ? XdpAction.of(value) : TcAction.of(value);
            return named.name() + " (" + value + ")";
        } catch (IllegalArgumentException e) {
            return value + " (no " + kind(kind) + " action)";
        }
    }
}
