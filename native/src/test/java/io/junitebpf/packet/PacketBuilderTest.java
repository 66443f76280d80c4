package io.junitebpf.packet;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder's layout (lengths, types, tags) and its refusals. */
class PacketBuilderTest {

    private static final PacketBuilder ETH = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02");

    @Test
    void layersLandAtTheirOffsetsWithTheirLengths() {
        ByteBuffer f = ByteBuffer.wrap(ETH.vlan(100, 5).ipv4("10.0.0.1", "10.0.0.2").ttl(7).udp(40000, 53)
                .payload(new byte[10]).build());
        assertThat(f.capacity()).isEqualTo(14 + 4 + 20 + 8 + 10);
        assertThat(f.get(0)).isEqualTo((byte) 2);
        assertThat(f.get(5)).as("destination first").isEqualTo((byte) 2);
        assertThat(f.get(11)).isEqualTo((byte) 1);
        assertThat(f.getShort(12)).isEqualTo((short) 0x8100);
        assertThat(f.getShort(14)).as("PCP 5, VLAN 100").isEqualTo((short) (5 << 13 | 100));
        assertThat(f.getShort(16)).isEqualTo((short) 0x0800);
        assertThat(f.getShort(18 + 2)).as("IPv4 total length").isEqualTo((short) 38);
        assertThat(f.get(18 + 8)).isEqualTo((byte) 7);
        assertThat(f.get(18 + 9)).isEqualTo((byte) 17);
        assertThat(f.getShort(38 + 4)).as("UDP length").isEqualTo((short) 18);
    }

    @Test
    void anIpv6FrameCarriesItsPayloadLength() {
        ByteBuffer f = ByteBuffer.wrap(ETH.ipv6("fd00::1", "fd00::2").tcp(1, 2).build());
        assertThat(f.getShort(12)).isEqualTo((short) 0x86dd);
        assertThat(f.getShort(14 + 4)).isEqualTo((short) 20);
        assertThat(f.get(14 + 6)).isEqualTo((byte) 6);
        assertThat(f.get(14 + 23)).isEqualTo((byte) 1); // fd00::1, last byte of the source
    }

    @Test
    void aFrameWithoutIpNeedsAnEtherType() {
        assertThat(ETH.etherType(0x0806).payload(new byte[28]).build()).hasSize(14 + 28);
        assertThatThrownBy(() -> ETH.build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs an etherType");
    }

    @Test
    void badAddressesSayWhatToGive() {
        assertThatThrownBy(() -> PacketBuilder.ethernet("02:00:00:00:00", "02:00:00:00:00:02"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give six hex bytes");
        assertThatThrownBy(() -> PacketBuilder.ethernet("02:00:00:00:00:zz", "02:00:00:00:00:02"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'zz' is not hex");
        assertThatThrownBy(() -> ETH.ipv4("10.0.0.256", "10.0.0.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 is over 255");
        assertThatThrownBy(() -> ETH.ipv4("example.com", "10.0.0.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give four decimal bytes");
        assertThatThrownBy(() -> ETH.ipv6("fd00::zz", "::1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv6 address 'fd00::zz'");
    }

    @Test
    void layersInTheWrongOrderOrTwiceAreRefused() {
        assertThatThrownBy(() -> ETH.udp(1, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("udp(...): add an ipv4(...) or ipv6(...) header first");
        assertThatThrownBy(() -> ETH.ipv4("10.0.0.1", "10.0.0.2").ipv6("::1", "::2"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has an IPv4 header");
        assertThatThrownBy(() -> ETH.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).tcp(1, 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has a UDP header");
    }

    @Test
    void numbersOutOfRange() {
        PacketBuilder ip = ETH.ipv4("10.0.0.1", "10.0.0.2");
        assertThatThrownBy(() -> ip.udp(70000, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("UDP source port 70000 is out of range (0..65535)");
        assertThatThrownBy(() -> ETH.vlan(4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VLAN id 4096");
        assertThatThrownBy(() -> ip.ttl(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ip.udp(1, 2).payload(new byte[70000]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UDP length 70008");
    }

    @Test
    void buildersAreImmutable() {
        PacketBuilder base = ETH.ipv4("10.0.0.1", "10.0.0.2");
        byte[] udp = base.udp(1, 2).build();
        byte[] tcp = base.tcp(1, 2).build();
        assertThat(udp[14 + 9]).isEqualTo((byte) 17);
        assertThat(tcp[14 + 9]).isEqualTo((byte) 6);
    }
}
