package io.junitebpf.junit;

import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.VerifierStats;
import org.assertj.core.api.AbstractAssert;

import java.util.OptionalLong;

/** Assertions on a loaded program: a verifier budget that catches a complexity regression. */
public final class ProgramAssert extends AbstractAssert<ProgramAssert, Program> {

    ProgramAssert(Program actual) {
        super(actual, ProgramAssert.class);
    }

    /**
     * The verifier processed at most {@code budget} instructions to accept the program:
     * the kernel's {@code verified_insns} (Linux 5.16), else the statistics of a log
     * kept with {@code ObjectOptions.LOG_STATS}.
     */
    public ProgramAssert hasVerifiedInstructionsAtMost(long budget) {
        isNotNull();
        OptionalLong processed = actual.verifiedInstructions();
        if (processed.isEmpty()) {
            processed = actual.verifierStats().map(s -> OptionalLong.of(s.processedInstructions()))
                    .orElse(OptionalLong.empty());
        }
        if (processed.isEmpty()) {
            failWithMessage("%nExpecting program '%s' to be verified within %s instructions but neither the kernel"
                    + " (verified_insns needs Linux 5.16) nor a verifier log reports the figure (open the object with"
                    + " ObjectOptions.LOG_STATS)", actual.name(), budget);
        } else if (processed.getAsLong() > budget) {
            failWithMessage("%nExpecting program '%s' to be verified within:%n  %s instructions%nbut the verifier"
                    + " processed:%n  %s%s", actual.name(), budget, processed.getAsLong(),
                    actual.verifierStats().map(ProgramAssert::states).orElse(""));
        }
        return this;
    }

    private static String states(VerifierStats s) {
        return "%n(total states %s, peak states %s)".formatted(s.totalStates(), s.peakStates());
    }
}
