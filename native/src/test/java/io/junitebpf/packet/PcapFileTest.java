package io.junitebpf.packet;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.TestRun;
import io.junitebpf.bpf.XdpAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Classic pcap files in both byte orders and both timestamp resolutions, and files that are not pcap. */
class PcapFileTest {

    private static final PacketBuilder V4 = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02")
            .ipv4("10.0.0.1", "10.0.0.2");

    /** A capture as libpcap writes it: global header, then (ts_sec, ts_frac, incl_len, orig_len, data) records. */
    static byte[] pcap(ByteOrder order, boolean nanos, List<byte[]> packets) {
        int size = 24 + packets.stream().mapToInt(p -> 16 + p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(PcapFile.LINKTYPE_ETHERNET);
        int i = 0;
        for (byte[] p : packets) {
            b.putInt(1_700_000_000 + i).putInt(nanos ? 123_456_789 : 123_456).putInt(p.length).putInt(p.length + i)
                    .put(p);
            i++;
        }
        return b.array();
    }

    @Test
    void readsBothByteOrdersAndResolutions(@TempDir Path dir) throws IOException {
        List<byte[]> packets = List.of(V4.udp(1, 9).build(), V4.tcp(1, 2).payload(new byte[3]).build());
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (boolean nanos : new boolean[] {false, true}) {
                Path file = Files.write(dir.resolve(order + "-" + nanos + ".pcap"), pcap(order, nanos, packets));
                PcapFile pcap = PcapFile.read(file);
                assertThat(pcap.linkType()).isEqualTo(PcapFile.LINKTYPE_ETHERNET);
                assertThat(pcap.snapLength()).isEqualTo(65535);
                assertThat(pcap.packets()).containsExactlyElementsOf(packets);
                assertThat(pcap.records().get(1).originalLength()).isEqualTo(packets.get(1).length + 1);
                assertThat(pcap.records().get(1).timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_001,
                        nanos ? 123_456_789 : 123_456_000));
            }
        }
    }

    @Test
    void capturedPacketsRunThroughAProgram() {
        byte[] file = pcap(ByteOrder.LITTLE_ENDIAN, false, List.of(V4.udp(1, 9).build(), V4.udp(1, 53).build(),
                V4.tcp(1, 9).build()));
        try (LoadedObject bpf = BpfObject.openResource("bpf-test/testrun.bpf.o").load()) {
            List<XdpAction> verdicts = PcapFile.read(file, "capture").packets().stream()
                    .map(p -> bpf.program("xdp_firewall").testRun(TestRun.data(p)).xdpAction()).toList();
            assertThat(verdicts).containsExactly(XdpAction.XDP_DROP, XdpAction.XDP_PASS, XdpAction.XDP_PASS);
        }
    }

    @Test
    void aFileThatIsNotPcapSaysSo() throws IOException {
        byte[] elf;
        try (var in = PcapFileTest.class.getClassLoader().getResourceAsStream("bpf-test/testrun.bpf.o")) {
            elf = in.readAllBytes();
        }
        assertThatThrownBy(() -> PcapFile.read(elf, "testrun.bpf.o")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("read pcap testrun.bpf.o: not a pcap file (magic 0x7f454c46, expected a1b2c3d4 or"
                        + " a1b23c4d in either byte order)");
        byte[] pcapng = ByteBuffer.allocate(28).putInt(0x0a0d0d0a).array();
        assertThatThrownBy(() -> PcapFile.read(pcapng, "x.pcapng")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a pcapng file, not a classic pcap (convert it with editcap -F pcap");
        assertThatThrownBy(() -> PcapFile.read(new byte[5], "tiny")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 bytes is shorter than a pcap file header");
    }

    @Test
    void aTruncatedCaptureNamesTheRecord(@TempDir Path dir) {
        byte[] whole = pcap(ByteOrder.BIG_ENDIAN, false, List.of(V4.udp(1, 2).build(), V4.udp(1, 2).build()));
        byte[] cutInData = java.util.Arrays.copyOf(whole, whole.length - 5);
        assertThatThrownBy(() -> PcapFile.read(cutInData, "cut")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record 1 at byte").hasMessageContaining("a truncated or corrupt file");
        byte[] cutInHeader = java.util.Arrays.copyOf(whole, 24 + 16 + 42 + 7);
        assertThatThrownBy(() -> PcapFile.read(cutInHeader, "cut")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record 1 at byte 82 has a header cut short (7 of 16 bytes)");
        assertThatThrownBy(() -> PcapFile.read(dir.resolve("missing.pcap"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("read pcap " + dir.resolve("missing.pcap"));
    }

    @Test
    void aWrittenCaptureReadsBackFrameForFrame(@TempDir Path dir) {
        List<byte[]> frames = List.of(V4.udp(40000, 53).build(), V4.tcp(40001, 80).build(), new byte[] {1, 2});
        Path file = PcapFile.ofEthernet(frames).write(dir.resolve("out.pcap"));
        PcapFile back = PcapFile.read(file);
        assertThat(back.linkType()).isEqualTo(PcapFile.LINKTYPE_ETHERNET);
        assertThat(back.snapLength()).isEqualTo(frames.get(1).length);   // the longest (TCP)
        assertThat(back.packets()).containsExactlyElementsOf(frames);
        assertThat(back.records().get(2).timestamp()).isEqualTo(Instant.ofEpochSecond(0, 2000));
        assertThat(back.records().get(1).originalLength()).isEqualTo(frames.get(1).length);
        assertThatThrownBy(() -> PcapFile.ofEthernet(java.util.Arrays.asList(frames.get(0), null)))
                .isInstanceOf(NullPointerException.class).hasMessage("frame 1");
        assertThatThrownBy(() -> PcapFile.ofEthernet(frames).write(dir.resolve("no/such/dir.pcap")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("write pcap " + dir.resolve("no"));
    }
}
