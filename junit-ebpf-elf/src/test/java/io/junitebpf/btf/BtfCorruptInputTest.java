package io.junitebpf.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import io.junitebpf.elf.BinUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong input gives a {@link BtfException} that says what is wrong, never an index error. */
class BtfCorruptInputTest {

    /** Start of a version-1 BTF header with the 24-byte header length, as clang writes it. */
    private static final byte[] BTF_HEADER = {(byte) 0x9f, (byte) 0xeb, 1, 0, 24, 0, 0, 0};

    @TempDir
    static Path dir;
    private static byte[] object;

    @BeforeAll
    static void compile() throws Exception {
        object = Files.readAllBytes(BinUtils.compileBpfObject(dir));
    }

    private static byte[] kindsObject() {
        return object.clone();
    }

    /** The raw {@code .BTF} section of the test object, found by its header. */
    private static byte[] kindsRawBtf() {
        byte[] elf = kindsObject();
        int at = indexOf(elf, BTF_HEADER);
        ByteBuffer header = ByteBuffer.wrap(elf, at, 24).slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = 24 + header.getInt(12) + header.getInt(20);
        return Arrays.copyOfRange(elf, at, at + length);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void emptyInput() {
        assertThatThrownBy(() -> Btf.parse(new byte[0]))
                .isInstanceOf(BtfException.class)
                .hasMessage("BTF: <0 bytes> is empty (expected a BPF object file or raw BTF such as /sys/kernel/btf/vmlinux)");
    }

    @Test
    void neitherElfNorBtf() {
        assertThatThrownBy(() -> Btf.parse("notes.txt", "hello world".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(BtfException.class)
                .hasMessage("BTF: notes.txt is neither an ELF object nor raw BTF (starts with 68 65 6c 6c;"
                        + " expected ELF magic 7f 45 4c 46 or BTF magic 9f eb)");
        assertThatThrownBy(() -> Btf.parse(new byte[] {0x7f}))
                .hasMessageContaining("is neither an ELF object nor raw BTF (starts with 7f;");
    }

    @Test
    void elfWithoutBtfSection() throws IOException {
        byte[] elf = kindsObject();
        // Rename the section: ".BTF\0" becomes ".XTF\0" in the section name table.
        byte[] name = ".BTF\0".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(elf, name);
        elf[at + 1] = 'X';

        assertThatThrownBy(() -> Btf.parse("stripped.bpf.o", elf))
                .isInstanceOf(BtfException.class)
                .hasMessage("BTF: no .BTF section in stripped.bpf.o (compile the BPF object with clang -g so that it carries BTF)");
    }

    @Test
    void truncatedElf() throws IOException {
        byte[] elf = kindsObject();

        assertThatThrownBy(() -> Btf.parse("cut.bpf.o", Arrays.copyOf(elf, 40)))
                .isInstanceOf(BtfException.class)
                .hasMessage("BTF: ELF file cut.bpf.o: truncated at offset 40 (ELF header needs 64 bytes at"
                        + " offset 0, the file has 40; is the file complete?)");
        assertThatThrownBy(() -> Btf.parse("cut.bpf.o", Arrays.copyOf(elf, elf.length - 100)))
                .isInstanceOf(BtfException.class)
                .hasMessageStartingWith("BTF: ELF file cut.bpf.o: truncated at offset ");
    }

    @Test
    void thirtyTwoBitElf() throws Exception {
        Path source = Files.writeString(dir.resolve("f.c"), "int counter;\n");
        Path object = dir.resolve("i386.o");
        BinUtils.run(System.getProperty("junit.ebpf.clang", "clang"), "--target=i386-linux-gnu", "-g", "-c",
                "-o", object.toString(), source.toString());

        assertThatThrownBy(() -> Btf.read(object))
                .isInstanceOf(BtfException.class)
                .hasMessage("BTF: " + object + " is not an ELF64 file (ELF32 i386; BPF objects are ELF64)");
    }

    @Test
    void badMagicInBtfSection() throws IOException {
        byte[] elf = kindsObject();
        elf[indexOf(elf, BTF_HEADER)] = 0x12;

        assertThatThrownBy(() -> Btf.parse("kinds.bpf.o", elf))
                .hasMessage("BTF: bad magic 0xeb12 in kinds.bpf.o (expected 0xEB9F; not BTF, or the .BTF section is corrupt)");
    }

    @Test
    void rawBtfOfAnObjectParsesLikeTheObject() throws IOException {
        Btf raw = Btf.parse("kinds.btf", kindsRawBtf());
        Btf object = Btf.parse("kinds.bpf.o", kindsObject());

        assertThat(raw.structNames()).isEqualTo(object.structNames());
        assertThat(raw.types()).hasSameSizeAs(object.types());
    }

    @Test
    void truncatedTypeSection() throws IOException {
        byte[] raw = kindsRawBtf();
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 100).putInt(20, 0); // no strings
        byte[] cut = Arrays.copyOf(raw, 24 + 100);
        ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 100); // the types end mid-record

        assertThatThrownBy(() -> Btf.parse("cut.btf", cut))
                .isInstanceOf(BtfException.class)
                .hasMessageMatching("BTF: truncated type section at offset \\d+ in cut.btf \\(type \\[\\d+] \\w+ needs \\d+ bytes, \\d+ left\\)");
    }

    @Test
    void truncatedBlob() throws IOException {
        byte[] raw = kindsRawBtf();

        assertThatThrownBy(() -> Btf.parse("cut.btf", Arrays.copyOf(raw, 10)))
                .hasMessage("BTF: truncated header in cut.btf (24 bytes needed, 10 present)");
        assertThatThrownBy(() -> Btf.parse("cut.btf", Arrays.copyOf(raw, raw.length - 1)))
                .hasMessageStartingWith("BTF: truncated string section in cut.btf (it claims ");
    }

    @Test
    void unsupportedVersion() {
        byte[] raw = new BtfBlob().build();
        raw[2] = 2;

        assertThatThrownBy(() -> Btf.parse("v2.btf", raw))
                .hasMessage("BTF: unsupported version 2 in v2.btf (this reader knows version 1)");
    }

    @Test
    void unknownKind() {
        BtfBlob b = new BtfBlob().words(0, 25 << 24, 0);

        assertThatThrownBy(() -> Btf.parse("new.btf", b.build()))
                .hasMessage("BTF: unknown type kind 25 for type [1] at offset 0 of the type section in new.btf"
                        + " (this reader knows kinds 1..19, up to ENUM64; BTF from a newer kernel or corrupt)");
    }

    @Test
    void referenceToAMissingType() {
        BtfBlob b = new BtfBlob().type("", BtfKind.PTR, false, 0, 7);

        assertThatThrownBy(() -> Btf.parse("dangling.btf", b.build()))
                .hasMessage("BTF: type [1] PTR in dangling.btf refers to type [7], but there are only 2 types (corrupt type section)");
    }

    @Test
    void nameOutsideTheStringSection() {
        BtfBlob b = new BtfBlob().words(4096, BtfKind.TYPEDEF.code() << 24, 0);

        assertThatThrownBy(() -> Btf.parse("names.btf", b.build()))
                .hasMessageStartingWith("BTF: name offset 4096 of type [1] in names.btf is outside the ");
    }

    @Test
    void unterminatedName() {
        BtfBlob b = new BtfBlob().type("tail", BtfKind.TYPEDEF, false, 0, 0);
        byte[] raw = b.build();
        raw[raw.length - 1] = 'x';

        assertThatThrownBy(() -> Btf.parse("names.btf", raw))
                .hasMessage("BTF: unterminated name at offset 1 of the string section in names.btf (truncated or corrupt BTF)");
    }

    @Test
    void typedefLoop() {
        BtfBlob b = new BtfBlob()
                .type("a", BtfKind.TYPEDEF, false, 0, 2)
                .type("", BtfKind.CONST, false, 0, 1);

        assertThatThrownBy(() -> Btf.parse("loop.btf", b.build()))
                .hasMessageMatching("BTF: type \\[[12]] \\w+ in loop.btf is part of a reference loop \\(corrupt BTF\\)");
    }

    @Test
    void pointerLoop() {
        BtfBlob b = new BtfBlob().type("", BtfKind.PTR, false, 0, 1);

        assertThatThrownBy(() -> Btf.parse("loop.btf", b.build()))
                .hasMessage("BTF: type [1] PTR in loop.btf is part of a reference loop (corrupt BTF)");
    }

    @Test
    void structContainingItselfByValue() {
        BtfBlob b = new BtfBlob()
                .type("outer", BtfKind.STRUCT, false, 1, 8).member("inner", 2, 0)
                .type("", BtfKind.ARRAY, false, 0, 0).words(1, 1, 2);

        assertThatThrownBy(() -> Btf.parse("nested.btf", b.build()))
                .hasMessageMatching("BTF: type \\[[12]] \\w+ in nested.btf contains itself by value \\(corrupt BTF\\)");
    }

    @Test
    void overlongChain() {
        BtfBlob b = new BtfBlob();
        for (int id = 1; id <= 300; id++) {
            b.type("", BtfKind.CONST, false, 0, id + 1);
        }
        b.type("int", BtfKind.INT, false, 0, 4).words(32);

        assertThatThrownBy(() -> Btf.parse("deep.btf", b.build()))
                .hasMessageContaining("is the start of a reference chain longer than 256");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> Btf.read(Path.of("/nonexistent/x.bpf.o")))
                .isInstanceOf(BtfException.class)
                .hasMessageStartingWith("BTF: cannot read /nonexistent/x.bpf.o: java.nio.file.NoSuchFileException")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void everyTruncationOfTheObjectFailsCleanly() throws IOException {
        byte[] elf = kindsObject();
        byte[] raw = kindsRawBtf();
        for (int len = 0; len < raw.length; len++) {
            assertParsesOrFailsCleanly(Arrays.copyOf(raw, len));
        }
        for (int len = 0; len < elf.length; len += 7) {
            assertParsesOrFailsCleanly(Arrays.copyOf(elf, len));
        }
    }

    @Test
    void randomCorruptionFailsCleanly() throws IOException {
        byte[] raw = kindsRawBtf();
        byte[] elf = kindsObject();
        Random random = new Random(20240601);
        for (int round = 0; round < 3000; round++) {
            byte[] input = (round % 3 == 0 ? elf : raw).clone();
            // Aim at headers half the time, where one byte changes how everything else is read.
            int span = round % 2 == 0 ? Math.min(64, input.length) : input.length;
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                input[random.nextInt(span)] = (byte) random.nextInt(256);
            }
            assertParsesOrFailsCleanly(input);
        }
    }

    private static void assertParsesOrFailsCleanly(byte[] input) {
        try {
            Btf btf = Btf.parse("fuzz", input);
            // Whatever parsed must also be walkable.
            for (BtfType t : btf.types()) {
                t.cTypeName();
                t.resolve();
                t.byteSize();
                if (t instanceof BtfStruct s) {
                    s.members().forEach(m -> {
                        m.toString();
                        m.typedefName();
                    });
                }
            }
        } catch (BtfException e) {
            assertThat(e.getMessage()).startsWith("BTF: ");
        }
    }
}
