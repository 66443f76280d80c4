package io.junitebpf.junit;

import org.assertj.core.api.AbstractAssert;

import java.util.Objects;
import java.util.regex.Pattern;

/** Assertions on a program the verifier rejected; failures show its complaint, instruction and source line. */
public final class VerifierRejectionAssert extends AbstractAssert<VerifierRejectionAssert, VerifierRejection> {

    VerifierRejectionAssert(VerifierRejection actual) {
        super(actual, VerifierRejectionAssert.class);
    }

    /** The rejected program is {@code program} (its C function name). */
    public VerifierRejectionAssert inProgram(String program) {
        isNotNull();
        Objects.requireNonNull(program, "program");
        if (!program.equals(actual.program())) {
            failWithMessage("%nExpecting the verifier to reject program:%n  '%s'%nbut it rejected %s", program,
                    actual.describe());
        }
        return this;
    }

    /**
     * The verifier's complaint, or another line of its log, contains a match of
     * {@code regex} (e.g. {@code "invalid access to map value"}).
     */
    public VerifierRejectionAssert withMessageMatching(String regex) {
        isNotNull();
        Pattern pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        boolean found = pattern.matcher(actual.complaint()).find()
                || actual.verifierLog().stream().anyMatch(line -> pattern.matcher(line).find());
        if (!found) {
            failWithMessage("%nExpecting the verifier's message to match:%n  /%s/%nbut it rejected %s%nverifier log"
                    + " tail:%n  %s", regex, actual.describe(), tail());
        }
        return this;
    }

    /** The verifier processed at most {@code budget} instructions before rejecting it. */
    public VerifierRejectionAssert processedAtMost(long budget) {
        isNotNull();
        if (actual.processedInstructions().isEmpty()) {
            failWithMessage("%nExpecting the verifier to have processed at most %s instructions but its log has no"
                    + " \"processed N insns\" line: %s", budget, actual.describe());
        } else if (actual.processedInstructions().getAsLong() > budget) {
            failWithMessage("%nExpecting the verifier to have processed at most:%n  %s instructions%nbut it"
                    + " processed:%n  %s%nfor %s", budget, actual.processedInstructions().getAsLong(),
                    actual.describe());
        }
        return this;
    }

    /** The rejection under test, to go on checking it in code. */
    public VerifierRejection rejection() {
        return actual;
    }

    private String tail() {
        var log = actual.verifierLog();
        return String.join("%n  ".formatted(), log.subList(Math.max(0, log.size() - 8), log.size()));
    }
}
