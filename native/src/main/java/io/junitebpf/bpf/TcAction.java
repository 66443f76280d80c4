package io.junitebpf.bpf;

/** The kernel's {@code TC_ACT_*} values (linux/pkt_cls.h): what a tc (sched_cls/sched_act) program returns. */
public enum TcAction implements Verdict {
    TC_ACT_UNSPEC(-1), TC_ACT_OK(0), TC_ACT_RECLASSIFY(1), TC_ACT_SHOT(2), TC_ACT_PIPE(3), TC_ACT_STOLEN(4),
    TC_ACT_QUEUED(5), TC_ACT_REPEAT(6), TC_ACT_REDIRECT(7), TC_ACT_TRAP(8);

    private final int value;

    TcAction(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /**
     * The action a program returned.
     *
     * @throws IllegalArgumentException when {@code value} is no TC_ACT_* value
     */
    public static TcAction of(int value) {
        for (TcAction a : values()) {
            if (a.value == value) {
                return a;
            }
        }
        throw new IllegalArgumentException("tc return value " + value + " is no TC_ACT_* value (-1..8: "
                + java.util.Arrays.toString(values()) + ")");
    }
}
