package io.junitebpf.bpf;

/** How {@link BpfMap#update} treats an existing or absent key: the kernel's {@code BPF_ANY/NOEXIST/EXIST}. */
public enum UpdateFlag {
    /** Insert or replace ({@code BPF_ANY}). */
    ANY(0),
    /** Insert only; an existing key fails with {@link Errno#EEXIST} ({@code BPF_NOEXIST}). */
    NOEXIST(1),
    /** Replace only; an absent key fails with {@link Errno#ENOENT} ({@code BPF_EXIST}). */
    EXIST(2);

    private final long value;

    UpdateFlag(long value) {
        this.value = value;
    }

    /** The flag's value in the kernel's ABI. */
    public long value() {
        return value;
    }
}
