package io.junitebpf.bpf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A USDT probe to attach to: binary (executable or shared library), provider
 * and name as in {@code <sys/sdt.h>}'s {@code DTRACE_PROBEn(provider, name, ...)}.
 * Immutable.
 *
 * @param binary   the executable or shared library holding the probe's note
 * @param provider the provider (group), e.g. "groupa"
 * @param name     the probe name, e.g. "probe1"
 * @param pid      only this process, or -1 for all (kernels without BPF cookies need a pid for PIE binaries)
 * @param cookie   the USDT cookie returned by bpf_usdt_cookie() in the program
 */
public record Usdt(Path binary, String provider, String name, int pid, long cookie) {

    public Usdt {
        Objects.requireNonNull(binary, "binary");
        requireName(provider, "provider");
        requireName(name, "name");
        if (pid < -1 || pid == 0) {
            throw new IllegalArgumentException("usdt: pid " + pid + " (use -1 for all processes)");
        }
    }

    /** {@code provider:name} in {@code binary}, for all processes. */
    public static Usdt of(Path binary, String provider, String name) {
        return new Usdt(binary, provider, name, -1, 0);
    }

    /** Only in process {@code pid}. */
    public Usdt withPid(int pid) {
        return new Usdt(binary, provider, name, pid, cookie);
    }

    /** With a cookie for bpf_usdt_cookie(). */
    public Usdt withCookie(long cookie) {
        return new Usdt(binary, provider, name, pid, cookie);
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, "usdt " + what);
        if (value.isBlank() || value.contains(":")) {
            throw new IllegalArgumentException("usdt: invalid " + what + " '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return "usdt " + binary + " " + provider + ":" + name + (pid > 0 ? " (pid " + pid + ")" : "");
    }
}
