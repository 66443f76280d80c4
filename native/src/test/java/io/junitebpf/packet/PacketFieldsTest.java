package io.junitebpf.packet;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.TestRun;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Packets decoded into fields: differences by name, and annotated hex for failure messages. */
class PacketFieldsTest {

    private static final PacketBuilder UDP = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02")
            .ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53).payload(new byte[] {1, 2, 3, 4});

    @Test
    void aRouterStyleTtlDecrementShowsAsTwoFields() {
        byte[] expected = UDP.build();
        byte[] actual = expected.clone();
        actual[14 + 8]--;
        assertThat(PacketFields.differences(expected, actual)).hasSize(2)
                .contains("ipv4.ttl: expected 64 but was 63")
                .anySatisfy(line -> assertThat(line).startsWith("ipv4.checksum: expected")
                        .contains("(right) but was").endsWith("(wrong)"));
        assertThat(PacketFields.differences(expected, expected.clone())).isEmpty();
    }

    @Test
    void theKernelsOutputComparedWithTheInput() {
        byte[] in = UDP.build();
        try (LoadedObject bpf = BpfObject.openResource("bpf-test/testrun.bpf.o").load()) {
            byte[] out = bpf.program("xdp_reflect").testRun(TestRun.data(in)).data();
            assertThat(PacketFields.differences(in, out)).containsExactly(
                    "eth.dst: expected 02:00:00:00:00:02 but was 02:00:00:00:00:01",
                    "eth.src: expected 02:00:00:00:00:01 but was 02:00:00:00:00:02");
        }
    }

    @Test
    void differentPayloadsAndLayersAreListed() {
        byte[] other = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4("10.0.0.1", "10.0.0.2")
                .tcp(40000, 53).build();
        assertThat(PacketFields.differences(UDP.build(), other))
                .contains("ipv4.protocol: expected 17 but was 6", "udp.src_port: expected 40000 but the packet has"
                        + " no such field", "tcp.src_port: not expected, was 40000")
                .anySatisfy(line -> assertThat(line).startsWith("payload: expected 4 bytes 01020304 but was 0 bytes"));
    }

    @Test
    void annotatedHexPutsEachHeaderOnItsLine() {
        String hex = PacketFields.of(UDP.vlan(7).build()).annotatedHex();
        assertThat(hex.lines()).hasSize(4);
        assertThat(hex).contains("0000  02 00 00 00 00 02 02 00 00 00 00 01 81 00 00 07 08 00  eth"
                + " dst=02:00:00:00:00:02 src=02:00:00:00:00:01 vlan.id=7 (priority 0) type=0x0800\n")
                .contains("0012  45 00 00 20 ")
                .contains("ipv4 length=32 ttl=64 protocol=17 checksum=0x")
                .contains("src=10.0.0.1 dst=10.0.0.2")
                .contains("udp src_port=40000 dst_port=53 length=12 checksum=0x")
                .contains("(right)")
                .contains("002e  01 02 03 04  payload 4 bytes");
    }

    @Test
    void aShortOrForeignFrameIsAllPayload() {
        PacketFields fields = PacketFields.of(new byte[] {1, 2, 3, 4, 5});
        assertThat(fields.fields()).isEmpty();
        assertThat(fields.annotatedHex()).isEqualTo("0000  01 02 03 04 05  payload 5 bytes\n");
    }
}
