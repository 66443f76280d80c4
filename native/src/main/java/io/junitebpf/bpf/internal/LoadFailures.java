package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.VerifierException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads libbpf's log of a bpf_object__load: each program's verifier log (libbpf
 * frames it with BEGIN/END markers, at WARN for a failed load and at DEBUG for a
 * successful one with a kernel log level), and turns a failed load into a
 * {@link VerifierException} when the kernel's verifier said no.
 */
final class LoadFailures {

    private static final String BEGIN = "-- BEGIN PROG LOAD LOG --";
    private static final String END = "-- END PROG LOAD LOG --";
    private static final String PROG = "libbpf: prog '";

    private LoadFailures() {
    }

    static BpfException of(String operation, int errno, List<String> log) {
        Map<String, List<String>> logs = programLogs(log);
        String program = failedProgram(log);
        List<String> verifier = program != null && logs.containsKey(program) ? logs.get(program)
                : logs.isEmpty() ? List.of() : logs.values().stream().reduce((a, b) -> b).orElseThrow();
        if (verifier.isEmpty()) {
            return new BpfException(operation, "failed", errno, log);
        }
        return new VerifierException(operation, program, errno, log, verifier);
    }

    /** Each program's verifier log, by program name, in load order. */
    static Map<String, List<String>> programLogs(List<String> log) {
        Map<String, List<String>> logs = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : log) {
            if (line.contains(BEGIN)) {
                current = new ArrayList<>();
                logs.put(programName(line), current);
            } else if (line.contains(END)) {
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return logs;
    }

    /** The program libbpf says failed to load, or null. */
    private static String failedProgram(List<String> log) {
        for (String line : log) {
            if (line.startsWith(PROG) && (line.contains("failed to load") || line.contains("load failed"))) {
                return programName(line);
            }
        }
        return null;
    }

    /** "libbpf: prog 'NAME': ..." → NAME; "" when the line names none. */
    private static String programName(String line) {
        int start = line.indexOf(PROG);
        int end = start < 0 ? -1 : line.indexOf('\'', start + PROG.length());
        return end < 0 ? "" : line.substring(start + PROG.length(), end);
    }
}
