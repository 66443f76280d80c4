package io.junitebpf.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * clang's stderr turned into what a build log should show: one {@code file:line: severity: message} per
 * diagnostic, with a hint when the cause is a missing package rather than the program.
 */
final class Diagnostics {

    private static final Pattern LINE = Pattern.compile(
            "^(.+?):(\\d+):(?:\\d+:)? (fatal error|error|warning): (.*)$");

    /** One diagnostic; {@code line} is 0 for diagnostics without a place. */
    record Diagnostic(String file, int line, String severity, String message) {
        boolean isError() {
            return !severity.equals("warning");
        }

        @Override
        public String toString() {
            return file + ":" + line + ": " + severity + ": " + message;
        }
    }

    private Diagnostics() {
    }

    static List<Diagnostic> parse(String stderr) {
        List<Diagnostic> out = new ArrayList<>();
        for (String l : stderr.lines().toList()) {
            Matcher m = LINE.matcher(l);
            if (m.matches()) {
                out.add(new Diagnostic(m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4)));
            }
        }
        return out;
    }

    /** What to install when a diagnostic says a system header is missing; empty when none applies. */
    static String hint(List<Diagnostic> diagnostics, TargetArch arch) {
        for (Diagnostic d : diagnostics) {
            if (!d.message().endsWith("file not found")) {
                continue;
            }
            if (d.message().contains("'bpf/")) {
                return " (libbpf's headers are missing: apt-get install libbpf-dev)";
            }
            if (d.message().contains("'asm/") || d.message().contains("'linux/")) {
                return " (kernel uapi headers are missing: apt-get install linux-libc-dev; /usr/include/"
                        + arch.multiarch() + " must exist)";
            }
            if (d.message().contains("'vmlinux.h'")) {
                return " (include \"junit_ebpf_core.h\", shipped by the plugin, or generate vmlinux.h with"
                        + " 'bpftool btf dump file /sys/kernel/btf/vmlinux format c' into an <includeDirs> entry)";
            }
        }
        return "";
    }
}
