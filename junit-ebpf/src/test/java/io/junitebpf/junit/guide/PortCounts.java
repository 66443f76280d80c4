package io.junitebpf.junit.guide;

import io.junitebpf.bpf.BpfMap;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Byte-level reads of net_count's per-port maps (u32 port -> u64 packets), for NetworkGuideTest. */
final class PortCounts {

    private PortCounts() {
    }

    /** One datagram's payload as ASCII. */
    static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        socket.receive(packet);
        return new String(Arrays.copyOf(packet.getData(), packet.getLength()), StandardCharsets.US_ASCII);
    }

    /** A u32 key or value as the map holds it (host byte order). */
    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /** The u64 packet count of {@code port}, 0 when the program never saw it. */
    static long count(BpfMap packets, int port) {
        return packets.lookup(u32(port))
                .map(v -> ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong()).orElse(0L);
    }
}
