package io.junitebpf.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clang that compiles BPF C: found by running {@code <executable> --version}, refused when it is
 * too old for CO-RE.
 *
 * @param executable the command or path it was found as
 * @param major      the major version, e.g. 14
 * @param version    the whole version string, e.g. {@code 14.0.6}
 */
public record Clang(String executable, int major, String version) {

    /**
     * The oldest clang accepted: 11 is the first that emits BTF for {@code SEC(".maps")} definitions and
     * {@code preserve_access_index} relocations the way libbpf 1.x expects.
     */
    public static final int MIN_MAJOR = 11;

    static final String INSTALL_HINT = "install it with 'apt-get install clang llvm' (Debian/Ubuntu) or set"
            + " <clang> / -Djunit.ebpf.clang=/path/to/clang";

    private static final Pattern VERSION = Pattern.compile("clang version (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /**
     * Runs {@code executable --version} and checks the version.
     *
     * @throws BpfBuildException when it cannot be run, is not clang, or is older than {@link #MIN_MAJOR}
     */
    public static Clang find(String executable) {
        String output;
        try {
            Process p = new ProcessBuilder(List.of(executable, "--version")).redirectErrorStream(true).start();
            p.getOutputStream().close();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BpfBuildException("compile-bpf: '" + executable + " --version' did not finish in 30 s"
                        + " (is it clang?)");
            }
        } catch (IOException e) {
            throw new BpfBuildException("compile-bpf: clang not found: cannot run '" + executable + "' ("
                    + e.getMessage() + "; " + INSTALL_HINT + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BpfBuildException("compile-bpf: interrupted while running '" + executable + " --version'", e);
        }
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            throw new BpfBuildException("compile-bpf: '" + executable + "' is not clang: its --version printed '"
                    + firstLine(output) + "' (" + INSTALL_HINT + ")");
        }
        int major = Integer.parseInt(m.group(1));
        String version = m.group(1) + "." + m.group(2) + (m.group(3) == null ? "" : "." + m.group(3));
        if (major < MIN_MAJOR) {
            throw new BpfBuildException("compile-bpf: clang " + version + " at '" + executable + "' is too old: BPF CO-RE"
                    + " needs clang " + MIN_MAJOR + " or newer (Debian 12 ships clang 14: 'apt-get install clang llvm';"
                    + " or set <clang> / -Djunit.ebpf.clang=clang-14)");
        }
        return new Clang(executable, major, version);
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
