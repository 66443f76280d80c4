package io.junitebpf.btf;

import java.util.List;
import java.util.Optional;

/**
 * A struct or union ({@code BTF_KIND_STRUCT}, {@code BTF_KIND_UNION}): its size and its members
 * with their offsets, in declaration order. This is what a Java record is checked against.
 */
public final class BtfStruct implements BtfType {

    private final int id;
    private final boolean union;
    private final String name;
    private final int size;
    private final List<BtfMember> members;

    BtfStruct(int id, boolean union, String name, int size, List<BtfMember> members) {
        this.id = id;
        this.union = union;
        this.name = name;
        this.size = size;
        this.members = List.copyOf(members);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public BtfKind kind() {
        return union ? BtfKind.UNION : BtfKind.STRUCT;
    }

    /** The tag name, e.g. {@code uprobe_event}; empty for an anonymous struct or union. */
    @Override
    public String name() {
        return name;
    }

    /** Whether this is a union, whose members all start at offset 0. */
    public boolean isUnion() {
        return union;
    }

    /** The size in bytes, padding included: {@code sizeof(struct name)}. */
    public int size() {
        return size;
    }

    @Override
    public long byteSize() {
        return size;
    }

    /** The members in declaration order; anonymous nested structs and unions appear as members named "". */
    public List<BtfMember> members() {
        return members;
    }

    /** The member with this name, not looking into anonymous nested structs or unions. */
    public Optional<BtfMember> member(String memberName) {
        return members.stream().filter(m -> m.name().equals(memberName)).findFirst();
    }

    /** {@code struct task_info}, {@code union (anon)}. */
    @Override
    public String cTypeName() {
        return (union ? "union " : "struct ") + (name.isEmpty() ? "(anon)" : name);
    }

    @Override
    public String toString() {
        return "[" + id + "] " + cTypeName() + " size=" + size + " members=" + members;
    }
}
