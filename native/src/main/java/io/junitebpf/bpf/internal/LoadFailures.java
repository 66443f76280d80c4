package io.junitebpf.bpf.internal;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.VerifierException;

import java.util.ArrayList;
import java.util.List;

/** Turns a failed bpf_object__load into a {@link VerifierException} when the kernel's verifier said no. */
final class LoadFailures {

    private static final String BEGIN = "-- BEGIN PROG LOAD LOG --";
    private static final String END = "-- END PROG LOAD LOG --";

    private LoadFailures() {
    }

    static BpfException of(String operation, int errno, List<String> log) {
        List<String> verifier = new ArrayList<>();
        String program = null;
        boolean inside = false;
        for (String line : log) {
            if (line.contains(BEGIN)) {
                inside = true;
                continue;
            }
            if (line.contains(END)) {
                inside = false;
                continue;
            }
            if (inside) {
                verifier.add(line);
            } else if (program == null && line.startsWith("libbpf: prog '")) {
                int end = line.indexOf('\'', 14);
                program = end > 14 ? line.substring(14, end) : null;
            }
        }
        if (verifier.isEmpty()) {
            return new BpfException(operation, "failed", errno, log);
        }
        return new VerifierException(operation, program, errno, log, verifier);
    }
}
