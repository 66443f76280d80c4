package io.junitebpf.btf;

import static org.assertj.core.api.Assertions.assertThat;

import io.junitebpf.btf.BtfType.Enum.Enumerator;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every BTF kind from INT to ENUM64, from a hand-written blob in both byte orders. */
class BtfKindsTest {

    private static final int INT_SIGNED = 1 << 24;
    private static final int INT_BOOL = 4 << 24;

    /** Type ids follow the order of the calls: [1] int, [2] unsigned char, ... */
    static byte[] allKinds(ByteOrder order) {
        BtfBlob b = new BtfBlob();
        b.type("int", BtfKind.INT, false, 0, 4).words(INT_SIGNED | 32);                         // 1
        b.type("unsigned char", BtfKind.INT, false, 0, 1).words(8);                            // 2
        b.type("_Bool", BtfKind.INT, false, 0, 1).words(INT_BOOL | 8);                         // 3
        b.type("", BtfKind.PTR, false, 0, 5);                                                  // 4
        b.type("node", BtfKind.STRUCT, true, 3, 16)                                            // 5
                .member("next", 4, 0).member("flags", 6, 3 << 24 | 64).member("kind", 6, 2 << 24 | 67);
        b.type("u32", BtfKind.TYPEDEF, false, 0, 7);                                           // 6
        b.type("unsigned int", BtfKind.INT, false, 0, 4).words(32);                           // 7
        b.type("", BtfKind.ARRAY, false, 0, 0).words(9, 7, 2);                                 // 8
        b.type("", BtfKind.ARRAY, false, 0, 0).words(1, 7, 3);                                 // 9
        b.type("value", BtfKind.UNION, false, 2, 4).member("i", 1, 0).member("b", 3, 0);      // 10
        b.type("color", BtfKind.ENUM, true, 2, 4).words(b.name("RED"), -1, b.name("BLUE"), 2); // 11
        b.type("later", BtfKind.FWD, true, 0, 0);                                              // 12
        b.type("", BtfKind.VOLATILE, false, 0, 6);                                             // 13
        b.type("", BtfKind.CONST, false, 0, 13);                                               // 14
        b.type("", BtfKind.RESTRICT, false, 0, 4);                                             // 15
        b.type("", BtfKind.FUNC_PROTO, false, 1, 1).words(b.name("a"), 1);                    // 16
        b.type("f", BtfKind.FUNC, false, 1, 16);                                               // 17
        b.type("v", BtfKind.VAR, false, 0, 1).words(1);                                        // 18
        b.type(".data", BtfKind.DATASEC, false, 1, 4).words(18, 0, 4);                         // 19
        b.type("double", BtfKind.FLOAT, false, 0, 8);                                          // 20
        b.type("tag", BtfKind.DECL_TAG, false, 0, 5).words(-1);                                // 21
        b.type("user", BtfKind.TYPE_TAG, false, 0, 5);                                         // 22
        b.type("big", BtfKind.ENUM64, false, 1, 8).words(b.name("HUGE"), 1, 0xffffffff);      // 23
        b.type("legacy", BtfKind.STRUCT, false, 3, 8)                                          // 24
                .member("a", 25, 0).member("b", 25, 5).member("c", 1, 32);
        b.type("unsigned int", BtfKind.INT, false, 0, 4).words(5);                            // 25
        b.type("", BtfKind.PTR, false, 0, 16);                                                 // 26
        b.type("holder", BtfKind.STRUCT, false, 4, 40)                                         // 27
                .member("matrix", 8, 0).member("q", 14, 192).member("fn", 26, 256).member("", 10, 288);
        return b.build(order);
    }

    static Btf parse(String order) {
        ByteOrder o = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return Btf.parse("all-kinds-" + order, allKinds(o));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void everyKindIsDecoded(String order) {
        Btf btf = parse(order);

        assertThat(btf.types()).hasSize(28);
        assertThat(btf.types().stream().map(BtfType::kind).distinct()).hasSize(BtfKind.values().length);
        assertThat(btf.structNames()).containsExactly("node", "value", "legacy", "holder");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void intsCarryTheirEncoding(String order) {
        Btf btf = parse(order);

        assertThat(btf.type(1).orElseThrow()).isInstanceOfSatisfying(BtfType.Int.class, i -> {
            assertThat(i.signed()).isTrue();
            assertThat(i.isChar()).isFalse();
            assertThat(i.bits()).isEqualTo(32);
        });
        assertThat((BtfType.Int) btf.type(2).orElseThrow()).satisfies(i -> {
            assertThat(i.isChar()).as("unsigned char without the CHAR flag").isTrue();
            assertThat(i.signed()).isFalse();
        });
        assertThat(((BtfType.Int) btf.type(3).orElseThrow()).isBool()).isTrue();
        assertThat(btf.type(20).orElseThrow()).isInstanceOfSatisfying(BtfType.Float.class,
                f -> assertThat(f.size()).isEqualTo(8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void kindFlagStructsPackBitfields(String order) {
        BtfStruct node = parse(order).requireStruct("node");

        BtfMember next = node.member("next").orElseThrow();
        assertThat(next.cTypeName()).isEqualTo("struct node *");
        assertThat(((BtfType.Pointer) next.type()).target()).isSameAs(node);
        BtfMember flags = node.member("flags").orElseThrow();
        assertThat(flags.isBitfield()).isTrue();
        assertThat(flags.bitfieldSize()).isEqualTo(3);
        assertThat(flags.bitOffset()).isEqualTo(64);
        assertThat(flags.byteOffset()).isEqualTo(8);
        assertThat(flags.typedefName()).contains("u32");
        assertThat(flags).hasToString("u32 flags at bit 64 (3 bits)");
        assertThat(node.member("kind").orElseThrow().bitOffset()).isEqualTo(67);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void structsWithoutKindFlagTakeBitfieldWidthFromTheInt(String order) {
        BtfStruct legacy = parse(order).requireStruct("legacy");

        assertThat(legacy.members()).extracting(BtfMember::bitfieldSize).containsExactly(5, 5, 0);
        assertThat(legacy.members()).extracting(BtfMember::bitOffset).containsExactly(0L, 5L, 32L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void declaratorsRenderAsC(String order) {
        BtfStruct holder = parse(order).requireStruct("holder");

        assertThat(holder.members()).extracting(BtfMember::cTypeName)
                .containsExactly("int[2][3]", "const volatile u32", "function pointer", "union value");
        BtfMember matrix = holder.member("matrix").orElseThrow();
        assertThat(matrix.type().byteSize()).isEqualTo(24);
        assertThat(((BtfType.Array) matrix.type()).length()).isEqualTo(2);
        BtfMember q = holder.member("q").orElseThrow();
        assertThat(q.type()).isInstanceOfSatisfying(BtfType.Int.class, i -> assertThat(i.name()).isEqualTo("unsigned int"));
        assertThat(q.typedefName()).as("found through const and volatile").contains("u32");
        BtfStruct anonymous = (BtfStruct) holder.members().get(3).type();
        assertThat(anonymous.isUnion()).isTrue();
        assertThat(anonymous.members()).extracting(BtfMember::byteOffset).containsOnly(0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void enumsKnowTheirSignedness(String order) {
        Btf btf = parse(order);

        BtfType.Enum color = (BtfType.Enum) btf.type(11).orElseThrow();
        assertThat(color.signed()).isTrue();
        assertThat(color.cTypeName()).isEqualTo("enum color");
        assertThat(color.values()).containsExactly(new Enumerator("RED", -1), new Enumerator("BLUE", 2));
        BtfType.Enum big = (BtfType.Enum) btf.type(23).orElseThrow();
        assertThat(big.kind()).isEqualTo(BtfKind.ENUM64);
        assertThat(big.signed()).isFalse();
        assertThat(Long.toUnsignedString(big.values().getFirst().value())).isEqualTo("18446744069414584321");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void otherKindsKeepTheirTargets(String order) {
        Btf btf = parse(order);

        assertThat(btf.type(12).orElseThrow().cTypeName()).isEqualTo("union later");
        assertThat(btf.type(15).orElseThrow().cTypeName()).isEqualTo("struct node * restrict");
        assertThat(((BtfType.Other) btf.type(17).orElseThrow()).target()).map(BtfType::id).contains(16);
        assertThat(((BtfType.Other) btf.type(16).orElseThrow()).target()).map(BtfType::id).contains(1);
        assertThat(btf.type(18).orElseThrow().cTypeName()).isEqualTo("v");
        assertThat(btf.type(19).orElseThrow().byteSize()).isEqualTo(4);
        assertThat(btf.type(22).orElseThrow().resolve()).isSameAs(btf.requireStruct("node"));
        assertThat(btf.type(22).orElseThrow().cTypeName()).isEqualTo("struct node");
    }

    @ParameterizedTest
    @EnumSource(BtfKind.class)
    void kindCodesAreTheKernels(BtfKind kind) {
        assertThat(BtfKind.of(kind.code())).contains(kind);
        assertThat(BtfKind.of(20)).isEmpty();
        assertThat(BtfKind.of(-1)).isEmpty();
    }
}
