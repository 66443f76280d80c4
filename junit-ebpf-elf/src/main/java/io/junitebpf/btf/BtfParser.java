package io.junitebpf.btf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a raw BTF blob (header, type section, string section) into {@link BtfType}s.
 *
 * <p>Two passes: the first walks the type section only to find where each type starts and how
 * many there are, so the second can reject a reference to a missing type while it builds. Every
 * read is checked against the section first; then {@link #checkChains} rejects reference loops so
 * that the types never loop or overflow the stack when walked.
 */
final class BtfParser {

    private static final int HEADER_SIZE = 24;
    private static final int TYPE_SIZE = 12;
    private static final int MAGIC = 0xeb9f;
    /** Far above what compilers emit (a few typedefs and qualifiers), low enough for recursion. */
    private static final int MAX_CHAIN = 256;

    private final byte[] b;
    private final String source;
    private final boolean little;
    private final int typesStart;
    private final int typesLen;
    private final int stringsStart;
    private final int stringsLen;
    private final Map<Integer, String> strings = new HashMap<>();
    private final TypeTable table = new TypeTable();
    /** Per type id: the single type a typedef, qualifier, pointer or array refers to, else -1. */
    private int[] next;
    /** Per type id: whether {@link #next} is a by-value reference (not through a pointer). */
    private boolean[] byValue;
    /** Per struct id: the member type ids, for the by-value containment check. */
    private final Map<Integer, int[]> memberTypes = new HashMap<>();

    private BtfParser(byte[] b, int off, int len, String source) {
        this.source = source;
        if (len < HEADER_SIZE) {
            throw new BtfException("BTF: truncated header in " + source + " (" + HEADER_SIZE
                    + " bytes needed, " + len + " present)");
        }
        int b0 = b[off] & 0xff;
        int b1 = b[off + 1] & 0xff;
        if ((b0 | b1 << 8) == MAGIC) {
            little = true;
        } else if ((b1 | b0 << 8) == MAGIC) {
            little = false;
        } else {
            throw new BtfException(String.format("BTF: bad magic 0x%02x%02x in %s (expected 0xEB9F;"
                    + " not BTF, or the .BTF section is corrupt)", b1, b0, source));
        }
        this.b = Arrays.copyOfRange(b, off, off + len);
        int version = this.b[2] & 0xff;
        if (version != 1) {
            throw new BtfException("BTF: unsupported version " + version + " in " + source
                    + " (this reader knows version 1)");
        }
        long hdrLen = u32(4);
        if (hdrLen < HEADER_SIZE || hdrLen > len) {
            throw new BtfException("BTF: header length " + hdrLen + " in " + source + " is outside "
                    + HEADER_SIZE + ".." + len + " (corrupt header)");
        }
        typesStart = section(hdrLen, u32(8), u32(12), "type");
        typesLen = (int) u32(12);
        stringsStart = section(hdrLen, u32(16), u32(20), "string");
        stringsLen = (int) u32(20);
    }

    /** Parses {@code len} bytes of raw BTF at {@code off}; the result's index 0 is {@link BtfType.Void}. */
    static TypeTable parse(byte[] bytes, int off, int len, String source) {
        BtfParser p = new BtfParser(bytes, off, len, source);
        p.table.fill(p.buildAll(p.scan()));
        p.checkChains();
        p.checkContainment();
        return p.table;
    }

    private int section(long hdrLen, long off, long len, String name) {
        long start = hdrLen + off;
        if (start > b.length || len > b.length - start) {
            throw new BtfException("BTF: truncated " + name + " section in " + source + " (it claims "
                    + len + " bytes at offset " + start + " of a " + b.length + "-byte blob)");
        }
        return (int) start;
    }

    /** Pass 1: the offset of each type record within the type section. */
    private int[] scan() {
        int[] starts = new int[1024];
        int count = 0;
        int pos = 0;
        while (pos < typesLen) {
            need(pos, TYPE_SIZE, count + 1, "a type record");
            int info = (int) u32(typesStart + pos + 4);
            BtfKind kind = kindOf(info, count + 1, pos);
            long size = TYPE_SIZE + extraBytes(kind, info & 0xffff);
            need(pos, size, count + 1, kind.name());
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
            }
            starts[count++] = pos;
            pos += (int) size;
        }
        return Arrays.copyOf(starts, count);
    }

    private static long extraBytes(BtfKind kind, int vlen) {
        return switch (kind) {
            case INT, VAR, DECL_TAG -> 4;
            case ARRAY -> 12;
            case STRUCT, UNION, DATASEC, ENUM64 -> 12L * vlen;
            case ENUM, FUNC_PROTO -> 8L * vlen;
            default -> 0;
        };
    }

    /** Pass 2: the types, id 1 onwards, with every referenced id checked. */
    private BtfType[] buildAll(int[] starts) {
        int count = starts.length + 1;
        BtfType[] types = new BtfType[count];
        next = new int[count];
        byValue = new boolean[count];
        Arrays.fill(next, -1);
        types[0] = BtfType.Void.INSTANCE;
        for (int id = 1; id < count; id++) {
            types[id] = build(id, typesStart + starts[id - 1], count);
        }
        return types;
    }

    private BtfType build(int id, int at, int count) {
        String name = string(u32(at), id);
        int info = (int) u32(at + 4);
        BtfKind kind = kindOf(info, id, at - typesStart);
        int vlen = info & 0xffff;
        boolean kindFlag = info < 0;
        long sizeOrType = u32(at + 8);
        int x = at + TYPE_SIZE;
        return switch (kind) {
            case INT -> {
                long enc = u32(x);
                int encoding = (int) (enc >>> 24) & 0x0f;
                int size = size(sizeOrType, id, kind);
                boolean isChar = (encoding & 2) != 0 || size == 1
                        && (name.equals("char") || name.equals("signed char") || name.equals("unsigned char"));
                yield new BtfType.Int(id, name, size, (encoding & 1) != 0, isChar, (encoding & 4) != 0,
                        (int) (enc >>> 16) & 0xff, (int) enc & 0xff);
            }
            case PTR -> new BtfType.Pointer(id, table, link(id, kind, sizeOrType, count, false));
            case ARRAY -> {
                ref(id, kind, u32(x + 4), count);
                int element = link(id, kind, u32(x), count, true);
                yield new BtfType.Array(id, table, element, (int) u32(x + 8));
            }
            case STRUCT, UNION -> {
                List<BtfMember> members = new ArrayList<>(vlen);
                int[] ids = new int[vlen];
                for (int i = 0; i < vlen; i++) {
                    int m = x + 12 * i;
                    ids[i] = ref(id, kind, u32(m + 4), count);
                    long offset = u32(m + 8);
                    // With the kind flag, the offset word packs bitfield size (high 8) and bit offset (low 24).
                    members.add(kindFlag
                            ? new BtfMember(string(u32(m), id), table, ids[i], offset & 0xffffff, (int) (offset >>> 24), false)
                            : new BtfMember(string(u32(m), id), table, ids[i], offset, 0, true));
                }
                memberTypes.put(id, ids);
                yield new BtfStruct(id, kind == BtfKind.UNION, name, size(sizeOrType, id, kind), members);
            }
            case ENUM, ENUM64 -> {
                int width = kind == BtfKind.ENUM ? 8 : 12;
                List<BtfType.Enum.Enumerator> values = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    int e = x + width * i;
                    long lo = u32(e + 4);
                    long value = kind == BtfKind.ENUM64 ? lo | u32(e + 8) << 32 : kindFlag ? (int) lo : lo;
                    values.add(new BtfType.Enum.Enumerator(string(u32(e), id), value));
                }
                yield new BtfType.Enum(id, kind, name, size(sizeOrType, id, kind), kindFlag, values);
            }
            case TYPEDEF -> new BtfType.Typedef(id, name, table, link(id, kind, sizeOrType, count, true));
            case VOLATILE, CONST, RESTRICT, TYPE_TAG ->
                    new BtfType.Qualifier(id, kind, name, table, link(id, kind, sizeOrType, count, true));
            case FLOAT -> new BtfType.Float(id, name, size(sizeOrType, id, kind));
            case FUNC_PROTO -> {
                for (int i = 0; i < vlen; i++) {
                    ref(id, kind, u32(x + 8 * i + 4), count);
                }
                yield new BtfType.Other(id, kind, name, kindFlag, -1, table, ref(id, kind, sizeOrType, count));
            }
            case DATASEC -> {
                for (int i = 0; i < vlen; i++) {
                    ref(id, kind, u32(x + 12 * i), count);
                }
                yield new BtfType.Other(id, kind, name, kindFlag, sizeOrType, table, -1);
            }
            case FWD -> new BtfType.Other(id, kind, name, kindFlag, -1, table, -1);
            // FUNC, VAR, DECL_TAG: the size word holds the type they describe.
            default -> new BtfType.Other(id, kind, name, kindFlag, -1, table, ref(id, kind, sizeOrType, count));
        };
    }

    /** A checked reference that also forms a chain link, recorded for {@link #checkChains}. */
    private int link(int id, BtfKind kind, long target, int count, boolean value) {
        next[id] = ref(id, kind, target, count);
        byValue[id] = value;
        return next[id];
    }

    private int ref(int id, BtfKind kind, long target, int count) {
        if (target >= count) {
            throw new BtfException("BTF: type [" + id + "] " + kind + " in " + source + " refers to type ["
                    + target + "], but there are only " + count + " types (corrupt type section)");
        }
        return (int) target;
    }

    private int size(long size, int id, BtfKind kind) {
        if (size > Integer.MAX_VALUE) {
            throw new BtfException("BTF: type [" + id + "] " + kind + " in " + source + " has an implausible size "
                    + size + " (corrupt type section)");
        }
        return (int) size;
    }

    private BtfKind kindOf(int info, int id, int pos) {
        int code = (info >>> 24) & 0x1f;
        return BtfKind.of(code).filter(k -> k != BtfKind.VOID).orElseThrow(() -> new BtfException(
                "BTF: unknown type kind " + code + " for type [" + id + "] at offset " + pos + " of the type section in "
                        + source + " (this reader knows kinds 1..19, up to ENUM64; BTF from a newer kernel or corrupt)"));
    }

    private void need(int pos, long bytes, int id, String what) {
        if (bytes > typesLen - pos) {
            throw new BtfException("BTF: truncated type section at offset " + pos + " in " + source + " (type ["
                    + id + "] " + what + " needs " + bytes + " bytes, " + (typesLen - pos) + " left)");
        }
    }

    private String string(long off, int id) {
        if (off == 0) {
            return "";
        }
        if (off >= stringsLen) {
            throw new BtfException("BTF: name offset " + off + " of type [" + id + "] in " + source
                    + " is outside the " + stringsLen + "-byte string section (corrupt BTF)");
        }
        return strings.computeIfAbsent((int) off, o -> {
            int start = stringsStart + o;
            int end = start;
            int limit = stringsStart + stringsLen;
            while (end < limit && b[end] != 0) {
                end++;
            }
            if (end == limit) {
                throw new BtfException("BTF: unterminated name at offset " + o + " of the string section in "
                        + source + " (truncated or corrupt BTF)");
            }
            return new String(b, start, end - start, StandardCharsets.UTF_8);
        });
    }

    /**
     * Rejects loops and runaway depth in typedef/qualifier/pointer/array chains, which C cannot
     * express but corrupt BTF can, and which would make {@link BtfType#resolve()} or
     * {@link BtfType#cTypeName()} spin or overflow the stack.
     */
    private void checkChains() {
        int[] depth = new int[next.length];
        int[] path = new int[MAX_CHAIN + 1];
        for (int start = 1; start < next.length; start++) {
            int len = 0;
            int t = start;
            // depth 0 = not yet known; -1 = on the current path.
            while (t > 0 && next[t] >= 0 && depth[t] == 0) {
                if (len == MAX_CHAIN) {
                    throw chainError(start, "is the start of a reference chain longer than " + MAX_CHAIN);
                }
                depth[t] = -1;
                path[len++] = t;
                t = next[t];
            }
            if (t > 0 && depth[t] < 0) {
                throw chainError(t, "is part of a reference loop");
            }
            int d = t > 0 ? Math.max(depth[t], 0) : 0;
            for (int i = len - 1; i >= 0; i--) {
                depth[path[i]] = ++d;
                if (d > MAX_CHAIN) {
                    throw chainError(path[i], "is the start of a reference chain longer than " + MAX_CHAIN);
                }
            }
        }
    }

    /** Rejects a struct that contains itself by value (not through a pointer), which has no finite layout. */
    private void checkContainment() {
        byte[] state = new byte[next.length]; // 0 new, 1 on the DFS stack, 2 done
        int[] stack = new int[next.length];
        int[] child = new int[next.length];
        for (int root = 1; root < next.length; root++) {
            if (state[root] != 0) {
                continue;
            }
            int sp = 0;
            stack[sp] = root;
            child[sp] = 0;
            state[root] = 1;
            while (sp >= 0) {
                int t = stack[sp];
                int c = nextByValue(t, child[sp]++);
                if (c < 0) {
                    state[t] = 2;
                    sp--;
                } else if (state[c] == 1) {
                    throw chainError(c, "contains itself by value");
                } else if (state[c] == 0 && c > 0) {
                    state[c] = 1;
                    stack[++sp] = c;
                    child[sp] = 0;
                }
            }
        }
    }

    /** The i-th type that {@code t} holds by value, or -1 when there are no more. */
    private int nextByValue(int t, int i) {
        int[] members = memberTypes.get(t);
        if (members != null) {
            return i < members.length ? members[i] : -1;
        }
        return i == 0 && byValue[t] ? next[t] : -1;
    }

    private BtfException chainError(int id, String what) {
        return new BtfException("BTF: type [" + id + "] " + table.get(id).kind() + " in " + source + " " + what
                + " (corrupt BTF)");
    }

    private long u32(int at) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) (b[at + (little ? i : 3 - i)] & 0xff) << (8 * i);
        }
        return v;
    }
}
