package io.junitebpf.bpf;

import io.junitebpf.bpf.internal.GlobalData;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A global variable of a BPF object, found by name in the object's BTF:
 * {@code const volatile} ones live in .rodata, initialised ones in .data, the
 * rest in .bss.
 *
 * <p>From a {@link BpfObject} (before load) reads and writes act on the initial
 * value that load copies into the kernel, the way to set a
 * {@code const volatile __u32 target_pid} that the verifier then treats as a
 * constant. From a {@link LoadedObject} they act on the kernel's memory, which
 * programs see immediately; .rodata is frozen then and writes throw.
 *
 * <p>Values are in the machine's byte order. The typed accessors require the
 * variable's exact size, so a {@code __u64} is never half-written by
 * {@link #setInt(int)}.
 *
 * <pre>{@code
 * try (BpfObject spec = BpfObject.openResource("bpf-test/maps.bpf.o")) {
 *     spec.global("target_tgid").setInt((int) ProcessHandle.current().pid());
 *     try (LoadedObject bpf = spec.load()) {
 *         long hits = bpf.global("hits").getLong();
 *     }
 * }
 * }</pre>
 */
public final class GlobalVariable {

    private final GlobalData data;
    private final GlobalData.Variable variable;
    private final boolean beforeLoad;
    private final String objectName;

    GlobalVariable(GlobalData data, GlobalData.Variable variable, boolean beforeLoad, String objectName) {
        this.data = data;
        this.variable = variable;
        this.beforeLoad = beforeLoad;
        this.objectName = objectName;
    }

    /** The variable's name in C. */
    public String name() {
        return variable.name();
    }

    /** The section holding it: ".bss", ".data", ".rodata", or a custom ".data.*"/".rodata.*". */
    public String section() {
        return variable.section();
    }

    /** Its size in bytes. */
    public int size() {
        return variable.size();
    }

    /** Its byte offset within the section. */
    public long offset() {
        return variable.offset();
    }

    /** Its declared C type, e.g. "const volatile __u32". */
    public String typeName() {
        return variable.typeName();
    }

    /** Whether it can be written now: always before load, and after load unless .rodata or .kconfig. */
    public boolean writable() {
        return beforeLoad ? !variable.section().equals(".kconfig") : !variable.readOnlyAfterLoad();
    }

    /** A copy of its current bytes. */
    public byte[] bytes() {
        return data.read(variable, beforeLoad, operation("read"));
    }

    /**
     * Replaces its bytes.
     *
     * @throws IllegalArgumentException when {@code value} is not exactly {@link #size()} bytes
     * @throws IllegalStateException    when the section is frozen (.rodata after load, .kconfig)
     */
    public void setBytes(byte[] value) {
        Objects.requireNonNull(value, "value");
        requireSize(value.length, "setBytes", "pass exactly " + size() + " bytes");
        data.write(variable, value.clone(), beforeLoad, operation("write"));
    }

    /** Its value as a 32-bit integer; the variable must be 4 bytes. */
    public int getInt() {
        requireSize(Integer.BYTES, "getInt", hint());
        return ByteBuffer.wrap(bytes()).order(ByteOrder.nativeOrder()).getInt();
    }

    /** Sets a 4-byte variable. */
    public void setInt(int value) {
        requireSize(Integer.BYTES, "setInt", hint());
        setBytes(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** Its value as a 64-bit integer; the variable must be 8 bytes. */
    public long getLong() {
        requireSize(Long.BYTES, "getLong", hint());
        return ByteBuffer.wrap(bytes()).order(ByteOrder.nativeOrder()).getLong();
    }

    /** Sets an 8-byte variable. */
    public void setLong(long value) {
        requireSize(Long.BYTES, "setLong", hint());
        setBytes(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(value).array());
    }

    private void requireSize(int size, String accessor, String hint) {
        if (size != variable.size()) {
            throw new IllegalArgumentException(operation(accessor) + ": " + accessor + " handles " + size
                    + " bytes but '" + name() + "' (" + typeName() + " in " + section() + ") has " + variable.size()
                    + " (" + hint + ")");
        }
    }

    private String hint() {
        return switch (variable.size()) {
            case Integer.BYTES -> "use getInt/setInt";
            case Long.BYTES -> "use getLong/setLong";
            default -> "use bytes/setBytes";
        };
    }

    private String operation(String what) {
        return what + " global '" + name() + "' of " + objectName;
    }

    @Override
    public String toString() {
        return "GlobalVariable[" + typeName() + " " + name() + " in " + section() + " at " + offset() + ", "
                + size() + " bytes" + (beforeLoad ? ", before load" : "") + "]";
    }
}
