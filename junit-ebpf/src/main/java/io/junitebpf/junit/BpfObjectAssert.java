package io.junitebpf.junit;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.ProgramSpec;
import io.junitebpf.bpf.VerifierException;
import org.assertj.core.api.AbstractAssert;

import java.util.Objects;

/**
 * Assertions on loading a BPF object (opened, not loaded): that the verifier
 * rejects it. A load that succeeds is closed again at once.
 *
 * <pre>{@code
 * try (BpfObject spec = BpfObject.openResource("bpf-test/rejected.bpf.o")) {
 *     assertThat(spec).failsVerification().inProgram("reads_past_value")
 *             .withMessageMatching("invalid access to map value");
 * }
 * }</pre>
 */
public final class BpfObjectAssert extends AbstractAssert<BpfObjectAssert, BpfObject> {

    BpfObjectAssert(BpfObject actual) {
        super(actual, BpfObjectAssert.class);
    }

    /** Loading only {@code program} (the others are not loaded) is rejected by the verifier. */
    public VerifierRejectionAssert failsVerificationOf(String program) {
        isNotNull();
        Objects.requireNonNull(program, "program");
        if (actual.programs().stream().noneMatch(p -> p.name().equals(program))) {
            throw new IllegalArgumentException("failsVerificationOf: object " + actual.name() + " has no program '"
                    + program + "' (programs: " + String.join(", ", actual.programs().stream()
                    .map(ProgramSpec::name).toList()) + ")");
        }
        for (ProgramSpec spec : actual.programs()) {
            spec.autoload(spec.name().equals(program));
        }
        return failsVerification().inProgram(program);
    }

    /** Loading the object is rejected by the verifier. */
    public VerifierRejectionAssert failsVerification() {
        isNotNull();
        String name = actual.name();    // a failed load closes the object
        try (LoadedObject loaded = actual.load()) {
            failWithMessage("%nExpecting the verifier to reject object:%n  %s%nbut it loaded (programs: %s)",
                    name, String.join(", ", loaded.programs().stream().map(p -> p.name()).toList()));
            return null;
        } catch (VerifierException e) {
            return new VerifierRejectionAssert(VerifierRejection.of(name, e));
        }
    }
}
