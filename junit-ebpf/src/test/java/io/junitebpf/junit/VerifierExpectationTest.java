package io.junitebpf.junit;

import io.junitebpf.bpf.BpfObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static io.junitebpf.junit.FailurePathsTest.failures;
import static io.junitebpf.junit.FailurePathsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** @ExpectVerifierFailure and assertThat(BpfObject).failsVerification() on rejected.bpf.c, and their failures. */
class VerifierExpectationTest {

    static final String REJECTED = "bpf-test/rejected.bpf.o";

    @Test
    @ExpectVerifierFailure(object = REJECTED, program = "reads_past_value", message = "invalid access to map value")
    void theRejectionCarriesComplaintInstructionAndSourceLine(VerifierRejection rejection) {
        assertThat(rejection.program()).isEqualTo("reads_past_value");
        assertThat(rejection.complaint()).isNotBlank();
        assertThat(rejection.verifierLog()).anySatisfy(l -> assertThat(l).contains("invalid access to map value", "off=8"));
        assertThat(rejection.instruction()).hasValueSatisfying(i -> assertThat(i)
                .matches("\\d+: r\\d = \\*\\(u64 \\*\\)\\(r0 \\+8\\)"));
        assertThat(rejection.sourceLine()).hasValueSatisfying(s -> assertThat(s)
                .matches("rejected\\.bpf\\.c:\\d+: return .*value \\+ 1.*"));
        assertThat(rejection.processedInstructions()).isPresent();
        assertThat(rejection.verifierLog()).isNotEmpty();
    }

    @Test
    void anAssertionOnTheLoadDoesTheSame() {
        try (BpfObject spec = BpfObject.openResource(REJECTED)) {
            assertThat(spec).failsVerification().inProgram("reads_past_value")
                    .withMessageMatching("invalid access to map value, value_size=8").processedAtMost(1_000);
        }
    }

    @Test
    void failuresOfTheAssertionShowTheComplaint() {
        try (BpfObject spec = BpfObject.openResource(REJECTED)) {
            VerifierRejection rejection = assertThat(spec).failsVerification().rejection();
            assertThatThrownBy(() -> assertThat(rejection).withMessageMatching("R1 type=scalar"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting the verifier's message to match:\n  /R1 type=scalar/")
                    .hasMessageContaining("program 'reads_past_value' of").hasMessageContaining("invalid access")
                    .hasMessageContaining("at instruction: ").hasMessageContaining("source: rejected.bpf.c:");
            assertThatThrownBy(() -> assertThat(rejection).processedAtMost(1))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("at most:\n  1 instructions");
            assertThatThrownBy(() -> assertThat(rejection).inProgram("other"))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("'other'");
        }
    }

    @Test
    void anAcceptedProgramIsHeldToABudget() {
        try (BpfObject spec = BpfObject.openResource("bpf-test/typed_maps.bpf.o");
             io.junitebpf.bpf.LoadedObject bpf = spec.load()) {
            io.junitebpf.bpf.Program summarize = bpf.program("summarize");
            assertThat(summarize).hasVerifiedInstructionsAtMost(1_000);
            long processed = summarize.verifiedInstructions().orElseThrow();
            assertThatThrownBy(() -> assertThat(summarize).hasVerifiedInstructionsAtMost(processed - 1))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expecting program 'summarize' to be verified within:\n  "
                            + (processed - 1) + " instructions")
                    .hasMessageContaining("processed:\n  " + processed);
        }
    }

    static class ExpectationTestCases {
        @Test
        @ExpectVerifierFailure(object = REJECTED, message = "R1 type=scalar expected=fp")
        void wrongMessage() {
        }

        @Test
        @ExpectVerifierFailure(object = "bpf-test/typed_maps.bpf.o", message = "anything")
        void loads() {
        }

        @Test
        @ExpectVerifierFailure(object = REJECTED, program = "no_such_program")
        void unknownProgram() {
        }

        @Test
        @ExpectVerifierFailure(object = REJECTED, maxProcessedInstructions = 1)
        void overBudget() {
        }

        @Test
        @ExpectVerifierFailure(object = "bpf-test/missing.bpf.o")
        void missingObject() {
        }

        @Test
        @ExpectVerifierFailure(object = REJECTED, program = "reads_past_value", message = "invalid access")
        void passes() {
        }
    }

    @Test
    void eachUnmetExpectationFailsTheTestWithTheVerifiersWords() {
        var results = run(ExpectationTestCases.class, Map.of());
        List<String> messages = failures(results);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
        assertThat(messages).hasSize(5);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("/R1 type=scalar expected=fp/",
                "program 'reads_past_value'", "invalid access to map value", "at instruction:", "source: rejected.bpf.c:"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("Expecting the verifier to reject object",
                "but it loaded (programs: summarize)"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@ExpectVerifierFailure", "no program "
                + "'no_such_program'", "reads_past_value"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("at most:\n  1 instructions"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("bpf-test/missing.bpf.o"));
    }
}
