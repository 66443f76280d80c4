package io.junitebpf.junit;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.TestRunResult;
import io.junitebpf.event.EventStream;
import io.junitebpf.map.TypedMap;

/** The entry point for junit-ebpf's assertions: {@code import static io.junitebpf.junit.EbpfAssertions.assertThat;}. */
public final class EbpfAssertions {

    private EbpfAssertions() {
    }

    /** Assertions that wait for events to arrive (default {@link EventStreamAssert#DEFAULT_TIMEOUT}). */
    public static <T> EventStreamAssert<T> assertThat(EventStream<T> stream) {
        return new EventStreamAssert<>(stream, EventStreamAssert.DEFAULT_TIMEOUT);
    }

    /** Assertions on a typed map's current contents; failures show the decoded entries. */
    public static <K, V> TypedMapAssert<K, V> assertThat(TypedMap<K, V> map) {
        return new TypedMapAssert<>(map);
    }

    /** Assertions on loading an opened object: {@code assertThat(spec).failsVerification()...}. */
    public static BpfObjectAssert assertThat(BpfObject object) {
        return new BpfObjectAssert(object);
    }

    /** Assertions on a loaded program, e.g. a verifier budget: {@code hasVerifiedInstructionsAtMost(n)}. */
    public static ProgramAssert assertThat(Program program) {
        return new ProgramAssert(program);
    }

    /** Assertions on a verifier rejection, e.g. one injected by {@link ExpectVerifierFailure}. */
    public static VerifierRejectionAssert assertThat(VerifierRejection rejection) {
        return new VerifierRejectionAssert(rejection);
    }

    /** Assertions on a test run: {@code assertThat(program.testRun(run)).hasVerdict(XdpAction.XDP_DROP)}. */
    public static TestRunResultAssert assertThat(TestRunResult result) {
        return new TestRunResultAssert(result);
    }
}
