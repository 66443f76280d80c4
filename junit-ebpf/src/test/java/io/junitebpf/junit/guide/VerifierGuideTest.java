package io.junitebpf.junit.guide;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.junit.ExpectVerifierFailure;
import io.junitebpf.junit.VerifierRejection;
import org.junit.jupiter.api.Test;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

// guide:verifier
class VerifierGuideTest {

    @Test
    @ExpectVerifierFailure(object = "bpf-test/rejected.bpf.o", program = "reads_past_value",
            message = "invalid access to map value")
    void readingPastAMapValueIsRefused(VerifierRejection rejection) {
        assertThat(rejection.sourceLine()).hasValueSatisfying(line -> assertThat(line).contains("value + 1"));
    }

    @Test
    void orAsAnAssertionOnTheLoad() {
        try (BpfObject spec = BpfObject.openResource("bpf-test/rejected.bpf.o")) {
            assertThat(spec).failsVerificationOf("reads_past_value")
                    .withMessageMatching("invalid access to map value")
                    .processedAtMost(100);                              // a complexity budget
        }
    }
}
// end:verifier
