package io.junitebpf.junit;

import io.junitebpf.bpf.VerifierException;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the verifier said when it rejected a program, read from its log: the
 * complaint (its last line before the statistics), the instruction it stopped at,
 * the C source line of that instruction (from BTF line info, objects built with
 * {@code clang -g}) and how many instructions it processed.
 *
 * @param object                the object's resource or name
 * @param program               the rejected program, or null when libbpf did not say
 * @param complaint             the lines after the failing instruction, joined by "; ", e.g.
 *                              "invalid access to map value, value_size=8 off=8 size=8; R0 min value is outside ..."
 * @param instruction           e.g. "8: (79) r6 = *(u64 *)(r0 +8)", if the log shows it
 * @param sourceLine            e.g. "rejected.bpf.c:26: return (int)*(volatile __u64 *)(value + 1);", if known
 * @param processedInstructions the "processed N insns" figure, if the log has it
 * @param exception             the load's exception, with the whole log
 */
public record VerifierRejection(String object, String program, String complaint, Optional<String> instruction,
                                Optional<String> sourceLine, OptionalLong processedInstructions,
                                VerifierException exception) {

    private static final Pattern INSTRUCTION = Pattern.compile("^\\d+: \\([0-9a-f]{2}\\) .*");
    private static final Pattern SOURCE = Pattern.compile("^; ?(.*) @ (\\S+):(\\d+)$");
    private static final Pattern PROCESSED = Pattern.compile("processed (\\d+) insns");

    public VerifierRejection {
        Objects.requireNonNull(complaint, "complaint");
        Objects.requireNonNull(exception, "exception");
    }

    /** Reads the rejection of {@code object}'s load from the verifier log {@code e} keeps. */
    public static VerifierRejection of(String object, VerifierException e) {
        List<String> log = e.verifierLog();
        int end = log.size();
        OptionalLong processed = OptionalLong.empty();
        for (int i = log.size() - 1; i >= 0; i--) {
            Matcher m = PROCESSED.matcher(log.get(i));
            if (m.find()) {
                processed = OptionalLong.of(Long.parseLong(m.group(1)));
                end = i;
                break;
            }
        }
        // The complaint is every line after the instruction the verifier stopped at (it may take two:
        // "invalid access to map value, ..." then "R0 min value is outside of the allowed memory range").
        int stop = end - 1;
        while (stop >= 0 && !INSTRUCTION.matcher(log.get(stop).strip()).matches()) {
            stop--;
        }
        List<String> complaintLines = log.subList(stop + 1, end).stream().map(String::strip)
                .filter(l -> !l.isEmpty()).toList();
        if (stop < 0 && !complaintLines.isEmpty()) {
            complaintLines = List.of(complaintLines.getLast());   // no instruction shown: the last line says why
        }
        String complaint = String.join("; ", complaintLines);
        String instruction = stop >= 0 ? log.get(stop).strip().replaceFirst("\\s+;.*$", "") : null;
        String source = null;
        for (int i = stop - 1; i >= 0 && source == null; i--) {
            Matcher m = SOURCE.matcher(log.get(i).strip());
            if (m.matches()) {
                source = m.group(2) + ":" + m.group(3) + ": " + m.group(1).strip();
            }
        }
        return new VerifierRejection(object, e.program(), complaint, Optional.ofNullable(instruction),
                Optional.ofNullable(source), processed, e);
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
