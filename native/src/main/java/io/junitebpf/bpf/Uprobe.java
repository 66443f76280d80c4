package io.junitebpf.bpf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where to attach a uprobe or uretprobe: a binary (executable or shared
 * library) and either a function symbol (resolved by libbpf) or a file offset
 * (for example computed with {@code io.junitebpf.elf.ElfFile#fileOffset}).
 * Immutable; each {@code with}/{@code returning} call returns a new instance.
 *
 * @param binary       the executable or shared library
 * @param function     the symbol to probe, or null when {@code offset} is used
 * @param offset       the file offset (added to the function's, when both are given)
 * @param retprobe     true for a uretprobe (fires on return)
 * @param pid          only this process, or -1 for all
 * @param cookie       the BPF cookie (kernel 5.15+; 0 for none)
 * @param refCtrOffset file offset of a USDT-style semaphore to increment, or 0
 */
public record Uprobe(Path binary, String function, long offset, boolean retprobe, int pid, long cookie,
                     long refCtrOffset) {

    public Uprobe {
        Objects.requireNonNull(binary, "binary");
        if (function != null && function.isBlank()) {
            throw new IllegalArgumentException("uprobe: empty function name");
        }
        if (function == null && offset <= 0) {
            throw new IllegalArgumentException("uprobe: give a function name or a positive file offset, got offset "
                    + offset);
        }
        if (offset < 0 || refCtrOffset < 0) {
            throw new IllegalArgumentException("uprobe: negative offset");
        }
        if (pid < -1 || pid == 0) {
            throw new IllegalArgumentException("uprobe: pid " + pid + " (use -1 for all processes)");
        }
    }

    /** Entry of {@code function} in {@code binary}, for all processes. */
    public static Uprobe function(Path binary, String function) {
        return new Uprobe(binary, Objects.requireNonNull(function, "function"), 0, false, -1, 0, 0);
    }

    /** The instruction at {@code fileOffset} in {@code binary}, for all processes. */
    public static Uprobe offset(Path binary, long fileOffset) {
        return new Uprobe(binary, null, fileOffset, false, -1, 0, 0);
    }

    /** The same location, fired on return (a uretprobe). */
    public Uprobe returning() {
        return new Uprobe(binary, function, offset, true, pid, cookie, refCtrOffset);
    }

    /** Only in process {@code pid}. */
    public Uprobe withPid(int pid) {
        return new Uprobe(binary, function, offset, retprobe, pid, cookie, refCtrOffset);
    }

    /** With a BPF cookie, read in the program with bpf_get_attach_cookie (kernel 5.15+). */
    public Uprobe withCookie(long cookie) {
        return new Uprobe(binary, function, offset, retprobe, pid, cookie, refCtrOffset);
    }

    /** Increments the semaphore at {@code refCtrOffset} while attached. */
    public Uprobe withRefCtrOffset(long refCtrOffset) {
        return new Uprobe(binary, function, offset, retprobe, pid, cookie, refCtrOffset);
    }

    @Override
    public String toString() {
        return (retprobe ? "uretprobe " : "uprobe ") + binary + ":"
                + (function != null ? function + (offset != 0 ? "+0x" + Long.toHexString(offset) : "")
                : "0x" + Long.toHexString(offset))
                + (pid > 0 ? " (pid " + pid + ")" : "");
    }
}
