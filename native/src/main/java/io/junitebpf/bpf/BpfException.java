package io.junitebpf.bpf;

import java.util.List;
import java.util.Objects;

/**
 * A failed libbpf or kernel operation.
 *
 * <p>The message reads "operation: detail (hint)". The errno, when the failure
 * came with one, is typed; the libbpf log lines printed while the operation ran
 * on this thread are kept whole in {@link #log()} and the last of them are
 * quoted in the message.
 */
public class BpfException extends RuntimeException {

    private static final int QUOTED_LOG_LINES = 12;

    private final String operation;
    private final int errnoCode;
    private final List<String> log;

    /**
     * @param operation what was attempted, e.g. "attach USDT groupa:probe1"
     * @param detail    what went wrong, without the errno (added here)
     * @param errnoCode the positive errno, or 0 when there is none
     * @param log       libbpf's messages printed during the operation
     */
    public BpfException(String operation, String detail, int errnoCode, List<String> log) {
        this(operation, detail, errnoCode, log, null);
    }

    /** As {@link #BpfException(String, String, int, List)}, with a cause. */
    public BpfException(String operation, String detail, int errnoCode, List<String> log, Throwable cause) {
        super(format(operation, detail, errnoCode, log), cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.errnoCode = Math.abs(errnoCode);
        this.log = List.copyOf(log);
    }

    /** The operation that failed, e.g. "load object usdt.bpf.o". */
    public String operation() {
        return operation;
    }

    /** The typed errno; {@link Errno#UNKNOWN} when the code is unlisted or absent. */
    public Errno errno() {
        return errnoCode == 0 ? Errno.UNKNOWN : Errno.of(errnoCode);
    }

    /** The positive errno number, 0 when the failure carried none. */
    public int errnoCode() {
        return errnoCode;
    }

    /** Every libbpf log line captured while the operation ran. */
    public List<String> log() {
        return log;
    }

    private static String format(String operation, String detail, int errnoCode, List<String> log) {
        StringBuilder text = new StringBuilder(operation).append(": ").append(detail);
        int code = Math.abs(errnoCode);
        if (code != 0) {
            Errno errno = Errno.of(code);
            text.append(" [").append(errno == Errno.UNKNOWN ? "errno " + code : errno.name())
                    .append(errno == Errno.UNKNOWN ? "" : ": " + errno.description()).append(']');
        }
        if (!log.isEmpty()) {
            text.append("\nlibbpf log");
            int from = Math.max(0, log.size() - QUOTED_LOG_LINES);
            if (from > 0) {
                text.append(" (last ").append(QUOTED_LOG_LINES).append(" of ").append(log.size()).append(" lines)");
            }
            text.append(':');
            for (String line : log.subList(from, log.size())) {
                text.append("\n  ").append(line);
            }
        }
        return text.toString();
    }
}
