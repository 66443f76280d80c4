package io.junitebpf.bpf;

/**
 * The Linux errno values that BPF and libbpf calls report, by name.
 *
 * <p>Values are the x86-64/arm64 generic ones (asm-generic/errno*.h). A code
 * that is not listed maps to {@link #UNKNOWN}; {@link BpfException#errnoCode()}
 * still carries the number.
 */
public enum Errno {
    EPERM(1, "operation not permitted"),
    ENOENT(2, "no such file or directory"),
    ESRCH(3, "no such process"),
    EINTR(4, "interrupted system call"),
    EIO(5, "input/output error"),
    E2BIG(7, "argument list too long"),
    ENOEXEC(8, "exec format error"),
    EBADF(9, "bad file descriptor"),
    EAGAIN(11, "resource temporarily unavailable"),
    ENOMEM(12, "cannot allocate memory"),
    EACCES(13, "permission denied"),
    EFAULT(14, "bad address"),
    EBUSY(16, "device or resource busy"),
    EEXIST(17, "file exists"),
    ENODEV(19, "no such device"),
    EINVAL(22, "invalid argument"),
    EMFILE(24, "too many open files"),
    ENOSPC(28, "no space left on device"),
    ERANGE(34, "numerical result out of range"),
    ENOSYS(38, "function not implemented"),
    ENODATA(61, "no data available"),
    EPROTO(71, "protocol error"),
    EOVERFLOW(75, "value too large for defined data type"),
    EOPNOTSUPP(95, "operation not supported"),
    ENOTSUPP(524, "operation not supported (kernel-internal ENOTSUPP)"),
    ESTALE(116, "stale file handle"),
    UNKNOWN(-1, "unknown error");

    private final int code;
    private final String description;

    Errno(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The positive errno number, or -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** What strerror(3) would say, in lower case. */
    public String description() {
        return description;
    }

    /** Maps a positive or negative errno (libbpf returns {@code -errno}) to its constant. */
    public static Errno of(int code) {
        int positive = Math.abs(code);
        for (Errno errno : values()) {
            if (errno.code == positive) {
                return errno;
            }
        }
        return UNKNOWN;
    }
}
