package io.junitebpf.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds Ethernet frames: optional 802.1Q VLAN tags, IPv4 or IPv6, then UDP,
 * TCP or ICMP (ICMPv6 over IPv6) and a payload, with every length and checksum
 * filled in. Immutable: each method returns a new builder, so a test can vary
 * one base packet.
 *
 * <pre>{@code
 * byte[] frame = PacketBuilder.ethernet("02:00:00:00:00:01", "02:00:00:00:00:02")
 *         .ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53).payload(query).build();
 * }</pre>
 *
 * Frames are not padded to Ethernet's 60-byte minimum ({@code BPF_PROG_TEST_RUN} does not need it).
 */
public final class PacketBuilder {

    /** EtherTypes the builder writes. */
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_IPV6 = 0x86dd;
    public static final int ETH_P_8021Q = 0x8100;
    /** IP protocol numbers. */
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;

    /** TCP header flags. */
    public enum TcpFlag {
        FIN(0x01), SYN(0x02), RST(0x04), PSH(0x08), ACK(0x10), URG(0x20);

        final int bit;

        TcpFlag(int bit) {
            this.bit = bit;
        }
    }

    private enum Transport { NONE, UDP, TCP, ICMP }

    private byte[] sourceMac;
    private byte[] destinationMac;
    private List<Integer> vlanTags = List.of();
    private int etherType = -1;
    private int ipVersion;
    private byte[] sourceIp;
    private byte[] destinationIp;
    private int ttl = 64;
    private Transport transport = Transport.NONE;
    private int sourcePort;
    private int destinationPort;
    private Set<TcpFlag> tcpFlags = Set.of();
    private long sequence;
    private int icmpType;
    private int icmpCode;
    private int icmpRest;
    private byte[] payload = new byte[0];

    private PacketBuilder() {
    }

    /** A frame from {@code source} to {@code destination} MAC ("02:00:00:00:00:01"). */
    public static PacketBuilder ethernet(String source, String destination) {
        PacketBuilder b = new PacketBuilder();
        b.sourceMac = Addresses.mac(Objects.requireNonNull(source, "source"));
        b.destinationMac = Addresses.mac(Objects.requireNonNull(destination, "destination"));
        return b;
    }

    /** Adds an 802.1Q tag (outermost first) with VLAN id {@code id} (0..4095) and priority 0. */
    public PacketBuilder vlan(int id) {
        return vlan(id, 0);
    }

    /** Adds an 802.1Q tag with VLAN id {@code id} (0..4095) and priority code point {@code priority} (0..7). */
    public PacketBuilder vlan(int id, int priority) {
        range(id, 0, 4095, "VLAN id");
        range(priority, 0, 7, "VLAN priority");
        PacketBuilder b = copy();
        List<Integer> tags = new ArrayList<>(vlanTags);
        tags.add(priority << 13 | id);
        b.vlanTags = List.copyOf(tags);
        return b;
    }

    /** The EtherType of a frame without IP (e.g. 0x0806 for ARP); the payload follows the Ethernet header. */
    public PacketBuilder etherType(int type) {
        range(type, 0x0600, 0xffff, "EtherType");
        requireNoIp("etherType");
        PacketBuilder b = copy();
        b.etherType = type;
        return b;
    }

    /** An IPv4 header from {@code source} to {@code destination} ("10.0.0.1"). */
    public PacketBuilder ipv4(String source, String destination) {
        requireNoIp("ipv4");
        PacketBuilder b = copy();
        b.ipVersion = 4;
        b.sourceIp = Addresses.ipv4(Objects.requireNonNull(source, "source"));
        b.destinationIp = Addresses.ipv4(Objects.requireNonNull(destination, "destination"));
        return b;
    }

    /** An IPv6 header from {@code source} to {@code destination} ("fd00::1"). */
    public PacketBuilder ipv6(String source, String destination) {
        requireNoIp("ipv6");
        PacketBuilder b = copy();
        b.ipVersion = 6;
        b.sourceIp = Addresses.ipv6(Objects.requireNonNull(source, "source"));
        b.destinationIp = Addresses.ipv6(Objects.requireNonNull(destination, "destination"));
        return b;
    }

    /** The IPv4 TTL or IPv6 hop limit (default 64). */
    public PacketBuilder ttl(int ttl) {
        range(ttl, 0, 255, "TTL");
        PacketBuilder b = copy();
        b.ttl = ttl;
        return b;
    }

    /** A UDP header. */
    public PacketBuilder udp(int sourcePort, int destinationPort) {
        return ports(Transport.UDP, sourcePort, destinationPort);
    }

    /** A TCP header (20 bytes, no options) with the given flags, sequence number 0 unless {@link #sequence} says. */
    public PacketBuilder tcp(int sourcePort, int destinationPort, TcpFlag... flags) {
        PacketBuilder b = ports(Transport.TCP, sourcePort, destinationPort);
        b.tcpFlags = flags.length == 0 ? Set.of() : Set.copyOf(EnumSet.of(flags[0], flags));
        return b;
    }

    /** The TCP sequence number. */
    public PacketBuilder sequence(long sequence) {
        range(sequence, 0, 0xffffffffL, "TCP sequence number");
        PacketBuilder b = copy();
        b.sequence = sequence;
        return b;
    }

    /**
     * An ICMP header (ICMPv6 over IPv6) of {@code type} and {@code code}, e.g. 8/0 (echo request) or
     * 128/0 for ICMPv6; {@code rest} is the header's last 4 bytes (identifier and sequence for echo).
     */
    public PacketBuilder icmp(int type, int code, int rest) {
        requireIp("icmp");
        requireNoTransport("icmp");
        range(type, 0, 255, "ICMP type");
        range(code, 0, 255, "ICMP code");
        PacketBuilder b = copy();
        b.transport = Transport.ICMP;
        b.icmpType = type;
        b.icmpCode = code;
        b.icmpRest = rest;
        return b;
    }

    /** The bytes after the last header (a copy is kept). */
    public PacketBuilder payload(byte[] payload) {
        PacketBuilder b = copy();
        b.payload = Objects.requireNonNull(payload, "payload").clone();
        return b;
    }

    /** The frame, with lengths and checksums filled in. */
    public byte[] build() {
        if (ipVersion == 0 && transport != Transport.NONE) {
            throw new IllegalStateException("build packet: " + transport + " without an IP header");
        }
        byte[] upper = transport == Transport.NONE ? payload : transportSegment();
        byte[] network = ipVersion == 0 ? upper : ipPacket(upper);
        int type = ipVersion == 4 ? ETH_P_IP : ipVersion == 6 ? ETH_P_IPV6 : etherType;
        if (type < 0) {
            throw new IllegalStateException("build packet: a frame without IP needs an etherType(...)");
        }
        ByteBuffer frame = ByteBuffer.allocate(14 + 4 * vlanTags.size() + network.length);
        frame.put(destinationMac).put(sourceMac);
        for (int tag : vlanTags) {
            frame.putShort((short) ETH_P_8021Q).putShort((short) tag);
        }
        return frame.putShort((short) type).put(network).array();
    }

    private byte[] transportSegment() {
        int protocol = protocol();
        ByteBuffer segment = switch (transport) {
            case UDP -> {
                int length = 8 + payload.length;
                range(length, 8, 0xffff, "UDP length");
                yield ByteBuffer.allocate(length).putShort((short) sourcePort).putShort((short) destinationPort)
                        .putShort((short) length).putShort((short) 0);
            }
            case TCP -> {
                int bits = tcpFlags.stream().mapToInt(f -> f.bit).sum();
                yield ByteBuffer.allocate(20 + payload.length).putShort((short) sourcePort)
                        .putShort((short) destinationPort).putInt((int) sequence).putInt(0)
                        .putShort((short) (5 << 12 | bits)).putShort((short) 65535).putShort((short) 0)
                        .putShort((short) 0);
            }
            case ICMP -> ByteBuffer.allocate(8 + payload.length).put((byte) icmpType).put((byte) icmpCode)
                    .putShort((short) 0).putInt(icmpRest);
            case NONE -> throw new IllegalStateException("no transport");
        };
        byte[] bytes = segment.put(payload).array();
        // ICMP for IPv4 covers only itself; TCP, UDP and ICMPv6 add the pseudo header.
        long pseudo = protocol == IPPROTO_ICMP ? 0
                : Checksums.pseudoHeaderSum(sourceIp, destinationIp, protocol, bytes.length);
        int checksum = Checksums.finish(Checksums.sum(bytes, 0, bytes.length, pseudo));
        if (protocol == IPPROTO_UDP && checksum == 0) {
            checksum = 0xffff; // 0 means "no checksum" in UDP
        }
        int at = switch (transport) {
            case UDP -> 6;
            case TCP -> 16;
            default -> 2;
        };
        bytes[at] = (byte) (checksum >>> 8);
        bytes[at + 1] = (byte) checksum;
        return bytes;
    }

    private byte[] ipPacket(byte[] upper) {
        int protocol = transport == Transport.NONE ? 59 /* IPv6 "no next header"; IPv4 leaves it */ : protocol();
        if (ipVersion == 4) {
            range(20 + upper.length, 20, 0xffff, "IPv4 total length");
            byte[] header = ByteBuffer.allocate(20).put((byte) 0x45).put((byte) 0).putShort((short) (20 + upper.length))
                    .putShort((short) 0).putShort((short) 0x4000).put((byte) ttl)
                    .put((byte) (transport == Transport.NONE ? 253 : protocol)).putShort((short) 0)
                    .put(sourceIp).put(destinationIp).array();
            int checksum = Checksums.internet(header, 0, 20);
            header[10] = (byte) (checksum >>> 8);
            header[11] = (byte) checksum;
            return ByteBuffer.allocate(20 + upper.length).put(header).put(upper).array();
        }
        range(upper.length, 0, 0xffff, "IPv6 payload length");
        return ByteBuffer.allocate(40 + upper.length).putInt(6 << 28).putShort((short) upper.length)
                .put((byte) protocol).put((byte) ttl).put(sourceIp).put(destinationIp).put(upper).array();
    }

    private int protocol() {
        return switch (transport) {
            case UDP -> IPPROTO_UDP;
            case TCP -> IPPROTO_TCP;
            case ICMP -> ipVersion == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
            case NONE -> throw new IllegalStateException("no transport");
        };
    }

    private PacketBuilder ports(Transport kind, int source, int destination) {
        String call = kind == Transport.UDP ? "udp" : "tcp";
        requireIp(call);
        requireNoTransport(call);
        if ((source | destination) >>> 16 != 0) { // the message is built only when it is needed
            range(source, 0, 0xffff, kind + " source port");
            range(destination, 0, 0xffff, kind + " destination port");
        }
        PacketBuilder b = copy();
        b.transport = kind;
        b.sourcePort = source;
        b.destinationPort = destination;
        return b;
    }

    private void requireIp(String call) {
        if (ipVersion == 0) {
            throw new IllegalStateException(call + "(...): add an ipv4(...) or ipv6(...) header first");
        }
    }

    private void requireNoIp(String call) {
        if (ipVersion != 0 || etherType >= 0) {
            throw new IllegalStateException(call + "(...): the frame already has " + (ipVersion != 0
                    ? "an IPv" + ipVersion + " header" : "EtherType 0x" + Integer.toHexString(etherType)));
        }
    }

    private void requireNoTransport(String call) {
        if (transport != Transport.NONE) {
            throw new IllegalStateException(call + "(...): the packet already has a " + transport + " header");
        }
    }

    private static void range(long value, long min, long max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is out of range (" + min + ".." + max + ")");
        }
    }

    private PacketBuilder copy() {
        PacketBuilder b = new PacketBuilder();
        b.sourceMac = sourceMac;
        b.destinationMac = destinationMac;
        b.vlanTags = vlanTags;
        b.etherType = etherType;
        b.ipVersion = ipVersion;
        b.sourceIp = sourceIp;
        b.destinationIp = destinationIp;
        b.ttl = ttl;
        b.transport = transport;
        b.sourcePort = sourcePort;
        b.destinationPort = destinationPort;
        b.tcpFlags = tcpFlags;
        b.sequence = sequence;
        b.icmpType = icmpType;
        b.icmpCode = icmpCode;
        b.icmpRest = icmpRest;
        b.payload = payload;
        return b;
    }
}
