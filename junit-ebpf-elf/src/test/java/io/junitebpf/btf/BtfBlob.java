package io.junitebpf.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes raw BTF by hand, for kinds and corruptions that no compiler output here contains. */
final class BtfBlob {

    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new HashMap<>();
    private final List<Integer> words = new ArrayList<>();

    BtfBlob() {
        strings.write(0); // offset 0 is the empty name, as in every real blob
        offsets.put("", 0);
    }

    /** The string-section offset of a name, adding it on first use. */
    int name(String name) {
        return offsets.computeIfAbsent(name, n -> {
            int at = strings.size();
            strings.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return at;
        });
    }

    /** Appends a {@code struct btf_type}: name, info (vlen, kind, kind flag) and the size-or-type word. */
    BtfBlob type(String name, BtfKind kind, boolean kindFlag, int vlen, int sizeOrType) {
        int info = (kindFlag ? 1 << 31 : 0) | kind.code() << 24 | vlen;
        return words(name(name), info, sizeOrType);
    }

    /** Appends raw words after a type: an int encoding, array, member, enumerator or parameter. */
    BtfBlob words(int... values) {
        for (int v : values) {
            words.add(v);
        }
        return this;
    }

    /** A {@code struct btf_member}. */
    BtfBlob member(String name, int type, int offset) {
        return words(name(name), type, offset);
    }

    byte[] build() {
        return build(ByteOrder.LITTLE_ENDIAN);
    }

    byte[] build(ByteOrder order) {
        byte[] str = strings.toByteArray();
        int typeLen = 4 * words.size();
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + str.length).order(order);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24)
                .putInt(0).putInt(typeLen).putInt(typeLen).putInt(str.length);
        words.forEach(b::putInt);
        b.put(str);
        return b.array();
    }
}
