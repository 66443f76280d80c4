package io.junitebpf.bpf;

import java.util.List;

/**
 * The kernel's verifier rejected a program. The message quotes the end of the
 * verifier log, where the reason is; {@link #verifierLog()} keeps all of it.
 */
public final class VerifierException extends BpfException {

    private static final int SUMMARY_LINES = 6;

    private final String program;
    private final List<String> verifierLog;

    /**
     * @param operation   the load that failed
     * @param program     the rejected program's name, or null when libbpf did not say
     * @param errnoCode   the load's errno
     * @param log         every libbpf line captured during the load
     * @param verifierLog the verifier's own log, between libbpf's BEGIN/END markers
     */
    public VerifierException(String operation, String program, int errnoCode, List<String> log,
                             List<String> verifierLog) {
        super(operation, summary(program, verifierLog), errnoCode, log);
        this.program = program;
        this.verifierLog = List.copyOf(verifierLog);
    }

    /** The rejected program, or null when libbpf's log did not name it. */
    public String program() {
        return program;
    }

    /** The whole verifier log. */
    public List<String> verifierLog() {
        return verifierLog;
    }

    private static String summary(String program, List<String> verifierLog) {
        List<String> tail = verifierLog.subList(Math.max(0, verifierLog.size() - SUMMARY_LINES), verifierLog.size());
        return "verifier rejected " + (program == null ? "a program" : "program '" + program + "'")
                + ": " + String.join(" | ", tail.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
}
