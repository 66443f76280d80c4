package io.junitebpf.btf;

import java.util.Optional;

/**
 * One member of a {@link BtfStruct}: its name, where it starts and, for a bitfield, how many bits
 * it has.
 *
 * <p>{@link #type()} is the layout type with typedefs and qualifiers stripped (an
 * {@code unsigned long long} for a {@code __u64 x}); {@link #declaredType()} and
 * {@link #cTypeName()} keep what the C source wrote, for messages.
 */
public final class BtfMember {

    private final String name;
    private final TypeTable table;
    private final int typeId;
    private final long bitOffset;
    private final int bitfieldSize;
    private final boolean sizeFromInt;

    /**
     * @param sizeFromInt the struct lacks the kind flag, so a bitfield's width is the
     *                    {@code BTF_INT_BITS} of its int type (the encoding before Linux 4.20)
     */
    BtfMember(String name, TypeTable table, int typeId, long bitOffset, int bitfieldSize, boolean sizeFromInt) {
        this.name = name;
        this.table = table;
        this.typeId = typeId;
        this.bitOffset = bitOffset;
        this.bitfieldSize = bitfieldSize;
        this.sizeFromInt = sizeFromInt;
    }

    /** The member name; empty for an anonymous nested struct or union. */
    public String name() {
        return name;
    }

    /** The offset from the start of the struct in bits. */
    public long bitOffset() {
        return bitOffset;
    }

    /** The offset in bytes; for a bitfield, the byte that holds its first bit. */
    public long byteOffset() {
        return bitOffset / 8;
    }

    /** The width of a bitfield in bits, 0 when the member is not a bitfield. */
    public int bitfieldSize() {
        if (sizeFromInt) {
            // Decided on access: the int type may come later in the blob than the struct.
            return type() instanceof BtfType.Int i && i.bits() != 8 * i.size() ? i.bits() : 0;
        }
        return bitfieldSize;
    }

    /** Whether the member is a bitfield ({@code unsigned int flag : 1}). */
    public boolean isBitfield() {
        return bitfieldSize() != 0;
    }

    /** The type as declared, e.g. the typedef {@code __u64}. */
    public BtfType declaredType() {
        return table.get(typeId);
    }

    /** The type that decides the layout: typedefs, {@code const}, {@code volatile} and tags stripped. */
    public BtfType type() {
        return declaredType().resolve();
    }

    /** The first typedef name on the way to {@link #type()}, e.g. {@code __u64}; empty when there is none. */
    public Optional<String> typedefName() {
        BtfType t = declaredType();
        while (t instanceof BtfType.Qualifier q) {
            t = q.target();
        }
        return t instanceof BtfType.Typedef d ? Optional.of(d.name()) : Optional.empty();
    }

    /** The declared type as C spells it: {@code __u64}, {@code char[16]}, {@code struct task_info}. */
    public String cTypeName() {
        return declaredType().cTypeName();
    }

    /** "__u64 x at byte 80", or with the bit offset and width for bitfields. */
    @Override
    public String toString() {
        String where = isBitfield()
                ? " at bit " + bitOffset + " (" + bitfieldSize() + " bits)"
                : " at byte " + byteOffset();
        return cTypeName() + " " + (name.isEmpty() ? "(anon)" : name) + where;
    }
}
