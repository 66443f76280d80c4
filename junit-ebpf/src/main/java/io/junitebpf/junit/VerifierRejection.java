package io.junitebpf.junit;

import io.junitebpf.bpf.VerifierException;
import io.junitebpf.bpf.VerifierStats;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the verifier said when it rejected a program, as {@link VerifierException}
 * reads it from the verifier log: the complaint, the instruction it stopped at, the
 * C source line of that instruction (from BTF line info, objects built with
 * {@code clang -g}) and how many instructions it processed.
 *
 * @param object                the object's resource or name
 * @param program               the rejected program, or null when libbpf did not say
 * @param complaint             the verifier's reason, e.g. "R0 min value is outside of the allowed memory range"
 * @param instruction           e.g. "8: r6 = *(u64 *)(r0 +8)", if the log shows it
 * @param sourceLine            e.g. "rejected.bpf.c:26: return (int)*(volatile __u64 *)(value + 1);", if known
 * @param processedInstructions the "processed N insns" figure, if the log has it
 * @param exception             the load's exception, with the whole log
 */
public record VerifierRejection(String object, String program, String complaint, Optional<String> instruction,
                                Optional<String> sourceLine, OptionalLong processedInstructions,
                                VerifierException exception) {

    public VerifierRejection {
        Objects.requireNonNull(complaint, "complaint");
        Objects.requireNonNull(exception, "exception");
    }

    /** The rejection of {@code object}'s load. */
    public static VerifierRejection of(String object, VerifierException e) {
        Optional<VerifierStats> stats = e.stats();
        return new VerifierRejection(object, e.program(), e.complaint(), e.instruction(),
                e.sourceLine().map(VerifierException.SourceLine::toString),
                stats.map(s -> OptionalLong.of(s.processedInstructions())).orElse(OptionalLong.empty()), e);
    }

    /** The whole verifier log. */
    public List<String> verifierLog() {
        return exception.verifierLog();
    }

    /** The rejection as failure messages show it: program, complaint, instruction and source line. */
    public String describe() {
        return "program " + (program == null ? "(unnamed)" : "'" + program + "'") + " of " + object
                + ": " + complaint
                + instruction.map(i -> "%n  at instruction: ".formatted() + i).orElse("")
                + sourceLine.map(s -> "%n  source: ".formatted() + s).orElse("")
                + (processedInstructions.isPresent()
                ? "%n  processed: ".formatted() + processedInstructions.getAsLong() + " instructions" : "");
    }
}
