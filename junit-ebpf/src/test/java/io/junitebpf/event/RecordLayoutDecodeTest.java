package io.junitebpf.event;

import io.junitebpf.btf.Btf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoder a RecordLayout composes (no boxing, no argument array) against the structs of
 * typed_maps.bpf.o: every width and signedness the check accepts, a nested struct, arrays and a
 * string, read at a position other than 0 of a buffer, as a ring buffer record is.
 */
class RecordLayoutDecodeTest {

    @CStruct("flow_key")
    record WideKey(long addr, int port, int proto, char flags) {
    }

    @CStruct("flow_key")
    record SameWidthKey(int addr, short port, byte proto, boolean flags) {
    }

    record Range(int lo, long hi) {
    }

    @CStruct("flow_stats")
    record Stats(long packets, long bytes, String label, short[] hist, Range range) {
    }

    record Empty() {
    }

    @Test
    void everyAcceptedIntegerMappingKeepsTheValue() throws IOException {
        Btf btf = btf();
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        b.putInt(8, 0xfffffffe).putShort(12, (short) 0xfffd).put(14, (byte) 0xfc).put(15, (byte) 1);
        b.position(8);

        WideKey wide = RecordLayout.of(WideKey.class, btf).decode(b);
        assertThat(wide).isEqualTo(new WideKey(0xfffffffeL, 0xfffd, 0xfc, (char) 1));
        SameWidthKey same = RecordLayout.of(SameWidthKey.class, btf).decode(b);
        assertThat(same).isEqualTo(new SameWidthKey(0xfffffffe, (short) 0xfffd, (byte) 0xfc, true));
        assertThat(b.position()).as("the buffer is left as it was").isEqualTo(8);
    }

    @Test
    void nestedStructsArraysAndStringsDecodeAtTheRecordsPosition() throws IOException {
        RecordLayout<Stats> layout = RecordLayout.of(Stats.class, btf());
        int base = 40;
        ByteBuffer b = ByteBuffer.allocate(base + layout.size()).order(ByteOrder.nativeOrder());
        b.putLong(base, -2).putLong(base + 8, 1L << 40);
        b.put(base + 16, "eth0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < 4; i++) {
            b.putShort(base + 32 + 2 * i, (short) (i - 1));
        }
        b.putInt(base + 40, -7).putInt(base + 44, -8);
        Stats s = layout.decode(b.position(base));
        assertThat(s.packets()).isEqualTo(-2);
        assertThat(s.bytes()).isEqualTo(1L << 40);
        assertThat(s.label()).isEqualTo("eth0");
        assertThat(s.hist()).containsExactly((short) -1, (short) 0, (short) 1, (short) 2);
        assertThat(s.range()).as("a signed int into long sign-extends").isEqualTo(new Range(-7, -8L));
    }

    @Test
    void aRecordAtAnOffsetOfASharedViewDecodesWithoutMovingIt() throws IOException {
        // as a RecordHandler hands records over: the place in a read-only view of the whole ring
        RecordLayout<Stats> layout = RecordLayout.of(Stats.class, btf());
        int base = 24;
        ByteBuffer ring = ByteBuffer.allocate(base + layout.size() + 16).order(ByteOrder.nativeOrder());
        ring.putLong(base, 5).putLong(base + 8, 6).put(base + 16, "lo".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ring.putInt(base + 40, 1).putInt(base + 44, 2);
        ByteBuffer view = ring.asReadOnlyBuffer().order(ByteOrder.nativeOrder());

        Stats s = layout.decode(view, base, layout.size() + 8);

        assertThat(s.packets()).isEqualTo(5);
        assertThat(s.label()).isEqualTo("lo");
        assertThat(s.range()).isEqualTo(new Range(1, 2L));
        assertThat(view.position()).as("the view is left as it was").isZero();
        assertThat(view.limit()).isEqualTo(ring.capacity());
    }

    @Test
    void aRecordOutsideItsViewOrShorterThanTheStructIsRefused() throws IOException {
        RecordLayout<Stats> layout = RecordLayout.of(Stats.class, btf());
        ByteBuffer view = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        assertThatThrownBy(() -> layout.decode(view, 32, 48)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("32").hasMessageContaining("64");
        assertThatThrownBy(() -> layout.decode(view, -1, 48)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> layout.decode(view, 0, 40)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("record of 40 bytes is shorter than the struct's 48");
    }

    @Test
    void aShortRecordAndARecordOfNoComponentsSayWhatIsWrong() throws IOException {
        RecordLayout<Stats> layout = RecordLayout.of(Stats.class, btf());
        assertThatThrownBy(() -> layout.decode(ByteBuffer.allocate(8))).isInstanceOf(LayoutException.class)
                .hasMessageContaining("record of 8 bytes is shorter than the struct's 48");
        RecordLayout<Empty> empty = RecordLayout.of(Empty.class, btf().struct("range").orElseThrow());
        assertThat(empty.decode(ByteBuffer.allocate(8))).isEqualTo(new Empty());
    }

    private static Btf btf() throws IOException {
        try (InputStream in = RecordLayoutDecodeTest.class.getResourceAsStream("/bpf-test/typed_maps.bpf.o")) {
            return Btf.parse("typed_maps.bpf.o", in.readAllBytes());
        }
    }
}
