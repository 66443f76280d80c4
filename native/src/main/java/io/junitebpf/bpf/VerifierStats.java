package io.junitebpf.bpf;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verifier's statistics of one program load, from the last line of its log
 * ({@code processed 8 insns (limit 1000000) max_states_per_insn 0 total_states 0
 * peak_states 0 mark_read 0}): how hard the program was to verify, so a test can
 * hold it to a budget.
 *
 * @param processedInstructions  instructions the verifier walked (counting each path)
 * @param instructionLimit       the kernel's limit on them
 * @param maxStatesPerInstruction the most states kept for one instruction
 * @param totalStates            states the verifier explored
 * @param peakStates             states kept at once, at most
 */
public record VerifierStats(long processedInstructions, long instructionLimit, int maxStatesPerInstruction,
                            int totalStates, int peakStates) {

    private static final Pattern PROCESSED = Pattern.compile("processed (\\d+) insns \\(limit (\\d+)\\)"
            + " max_states_per_insn (\\d+) total_states (\\d+) peak_states (\\d+)");

    /** The statistics in a verifier log, if it has them (logs at level 1, 2 or LOG_STATS end with them). */
    public static Optional<VerifierStats> parse(List<String> verifierLog) {
        for (int i = verifierLog.size() - 1; i >= 0; i--) {
            Matcher m = PROCESSED.matcher(verifierLog.get(i));
            if (m.find()) {
                return Optional.of(new VerifierStats(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
            }
        }
        return Optional.empty();
    }
}
