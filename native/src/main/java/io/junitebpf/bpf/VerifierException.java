package io.junitebpf.bpf;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's verifier rejected a program. The message gives the verifier's
 * complaint, the instruction it refused and — from the object's BTF line info,
 * which the verifier prints as {@code ; code @ file:line} — the C source line;
 * {@link #verifierLog()} keeps the whole log.
 */
public final class VerifierException extends BpfException {

    private static final int SUMMARY_LINES = 6;
    private static final Pattern INSTRUCTION = Pattern.compile("^(\\d+): \\([0-9a-f]{2}\\) (.*?)(\\s+; .*)?$");
    private static final Pattern SOURCE = Pattern.compile("^; ?(.*) @ (\\S+):(\\d+)$");

    private final String program;
    private final List<String> verifierLog;
    private final transient Details details;

    /**
     * Where the verifier log's C source line points.
     *
     * @param file the source file as the object's BTF names it
     * @param line the line number
     * @param code the line's text (may be empty when the compiler attributed the instruction to no line)
     */
    public record SourceLine(String file, int line, String code) {
        @Override
        public String toString() {
            return file + ":" + line + (code.isBlank() ? "" : ": " + code.strip());
        }
    }

    private record Details(String complaint, int instructionIndex, String instruction, SourceLine source) {
    }

    /**
     * @param operation   the load that failed
     * @param program     the rejected program's name, or null when libbpf did not say
     * @param errnoCode   the load's errno
     * @param log         every libbpf line captured during the load
     * @param verifierLog the verifier's own log, between libbpf's BEGIN/END markers
     */
    public VerifierException(String operation, String program, int errnoCode, List<String> log,
                             List<String> verifierLog) {
        this(operation, program, errnoCode, log, List.copyOf(verifierLog), details(verifierLog));
    }

    private VerifierException(String operation, String program, int errnoCode, List<String> log,
                              List<String> verifierLog, Details details) {
        super(operation, summary(program, verifierLog, details), errnoCode, log);
        this.program = program;
        this.verifierLog = verifierLog;
        this.details = details;
    }

    /** The rejected program, or null when libbpf's log did not name it. */
    public String program() {
        return program;
    }

    /** The whole verifier log. */
    public List<String> verifierLog() {
        return verifierLog;
    }

    /**
     * The verifier's reason, e.g. "R0 invalid mem access 'map_value_or_null'": the lines it printed after the refused
     * instruction and before its statistics, joined with "; " (some reasons take two lines: "invalid access to map
     * value, value_size=8 off=24 size=8; R0 max value is outside of the allowed memory range").
     */
    public String complaint() {
        return details.complaint();
    }

    /** The instruction the verifier stopped at, e.g. "8: (db) lock *(u64 *)(r0 +0) += r1", if the log shows it. */
    public Optional<String> instruction() {
        return details.instructionIndex() < 0 ? Optional.empty()
                : Optional.of(details.instructionIndex() + ": " + details.instruction());
    }

    /** The index of that instruction in the program, or -1. */
    public int instructionIndex() {
        return details.instructionIndex();
    }

    /** The C source line of that instruction, when the object has BTF line info. */
    public Optional<SourceLine> sourceLine() {
        return Optional.ofNullable(details.source());
    }

    /** The verifier's statistics up to the rejection, when the log has them. */
    public Optional<VerifierStats> stats() {
        return VerifierStats.parse(verifierLog);
    }

    private static Details details(List<String> log) {
        int end = log.size();
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).startsWith("processed ")) {
                end = i;
                break;
            }
        }
        int at = end - 1;
        while (at >= 0 && log.get(at).isBlank()) {
            at--;
        }
        // the reason runs from the refused instruction (or the log's start) to the statistics
        int first = at;
        while (first > 0 && !log.get(first - 1).isBlank() && !INSTRUCTION.matcher(log.get(first - 1)).matches()
                && !SOURCE.matcher(log.get(first - 1)).matches()) {
            first--;
        }
        String complaint = at < 0 ? "" : String.join("; ", log.subList(first, at + 1).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList());
        if (first == 0 && at > 0) {
            complaint = log.get(at).strip(); // no instruction before it: a one-line reason, as before
        }
        int index = -1;
        String instruction = null;
        SourceLine source = null;
        for (int i = first - 1; i >= 0; i--) {
            String line = log.get(i);
            Matcher insn = INSTRUCTION.matcher(line);
            if (index < 0 && insn.matches()) {
                index = Integer.parseInt(insn.group(1));
                instruction = insn.group(2).strip();
                continue;
            }
            Matcher src = SOURCE.matcher(line);
            if (index >= 0 && src.matches()) {
                source = new SourceLine(src.group(2), Integer.parseInt(src.group(3)), src.group(1));
                break;
            }
        }
        return new Details(complaint, index, instruction, source);
    }

    private static String summary(String program, List<String> verifierLog, Details details) {
        String who = "verifier rejected " + (program == null ? "a program" : "program '" + program + "'") + ": ";
        if (details.complaint().isEmpty() || details.instructionIndex() < 0) {
            List<String> tail = verifierLog.subList(Math.max(0, verifierLog.size() - SUMMARY_LINES),
                    verifierLog.size());
            return who + String.join(" | ", tail.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        }
        return who + details.complaint() + " at instruction " + details.instructionIndex() + " ("
                + details.instruction() + ")" + (details.source() == null ? "" : ", source " + details.source());
    }
}
