package io.junitebpf.packet;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An Ethernet frame decoded into named header fields (the layers
 * {@link PacketBuilder} writes), for comparing packets field by field and
 * showing them as annotated hex in a test failure. Decoding stops, without
 * failing, where the frame is too short or carries something else; the rest is
 * the payload.
 */
public final class PacketFields {

    /**
     * One header field.
     *
     * @param name   layer and field, e.g. "ipv4.ttl"
     * @param offset its first byte in the frame
     * @param length its bytes
     * @param value  its value as text, e.g. "64", "10.0.0.1", "0x1c46 (right)"
     */
    public record Field(String name, int offset, int length, String value) {
    }

    private final byte[] frame;
    private final List<Field> fields = new ArrayList<>();
    /** Each layer's bytes, [start, end), in frame order: the lines of {@link #annotatedHex()}. */
    private final Map<String, int[]> layers = new LinkedHashMap<>();
    private int payloadOffset;

    private PacketFields(byte[] frame) {
        this.frame = frame;
        decode();
    }

    /** Decodes {@code frame} (a copy is kept). */
    public static PacketFields of(byte[] frame) {
        return new PacketFields(Objects.requireNonNull(frame, "frame").clone());
    }

    /** The fields in frame order. */
    public List<Field> fields() {
        return List.copyOf(fields);
    }

    /** Where the bytes no header claims begin. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /**
     * The fields that differ between {@code expected} and {@code actual}, as lines
     * "ipv4.ttl: expected 64 but was 63"; a field only one of them has and
     * differing payloads are listed too. Empty when the frames are equal.
     */
    public static List<String> differences(byte[] expected, byte[] actual) {
        Map<String, Field> want = byName(of(expected));
        Map<String, Field> got = byName(of(actual));
        List<String> lines = new ArrayList<>();
        for (Field w : want.values()) {
            Field g = got.get(w.name());
            if (g == null) {
                lines.add(w.name() + ": expected " + w.value() + " but the packet has no such field");
            } else if (!g.value().equals(w.value())) {
                lines.add(w.name() + ": expected " + w.value() + " but was " + g.value());
            }
        }
        for (Field g : got.values()) {
            if (!want.containsKey(g.name())) {
                lines.add(g.name() + ": not expected, was " + g.value());
            }
        }
        PacketFields e = of(expected);
        PacketFields a = of(actual);
        byte[] ep = java.util.Arrays.copyOfRange(expected, e.payloadOffset, expected.length);
        byte[] ap = java.util.Arrays.copyOfRange(actual, a.payloadOffset, actual.length);
        if (!java.util.Arrays.equals(ep, ap)) {
            lines.add("payload: expected " + ep.length + " bytes " + HexFormat.of().formatHex(ep) + " but was "
                    + ap.length + " bytes " + HexFormat.of().formatHex(ap));
        }
        return lines;
    }

    /** The frame as hex, one header per line with its fields beside it, then the payload 16 bytes a line. */
    public String annotatedHex() {
        StringBuilder out = new StringBuilder();
        for (var layer : layers.entrySet()) {
            int start = layer.getValue()[0];
            line(out, start, layer.getValue()[1] - start);
            out.append("  ").append(layer.getKey());
            for (Field f : fields) {
                String prefix = f.name().substring(0, f.name().indexOf('.'));
                if (f.offset() >= start && f.offset() < layer.getValue()[1]) {
                    out.append(' ').append(prefix.equals(layer.getKey()) ? f.name().substring(prefix.length() + 1)
                            : f.name()).append('=').append(f.value());
                }
            }
            out.append('\n');
        }
        for (int at = payloadOffset; at < frame.length; at += 16) {
            line(out, at, Math.min(16, frame.length - at));
            out.append(at == payloadOffset ? "  payload " + (frame.length - payloadOffset) + " bytes" : "")
                    .append('\n');
        }
        return out.toString();
    }

    private void line(StringBuilder out, int offset, int length) {
        out.append(String.format("%04x ", offset));
        for (int i = 0; i < length; i++) {
            out.append(' ').append(HexFormat.of().toHexDigits(frame[offset + i]));
        }
    }

    private static Map<String, Field> byName(PacketFields p) {
        Map<String, Field> map = new LinkedHashMap<>();
        for (Field f : p.fields) {
            map.putIfAbsent(f.name(), f);
        }
        return map;
    }

    private void decode() {
        if (frame.length < 14) {
            return;
        }
        add("eth.dst", 0, 6, mac(0));
        add("eth.src", 6, 6, mac(6));
        int at = 12;
        int vlan = 0;
        while (u16(at) == PacketBuilder.ETH_P_8021Q || u16(at) == 0x88a8) {
            if (at + 6 > frame.length) {
                return;
            }
            String layer = "vlan" + (vlan++ == 0 ? "" : vlan);
            add(layer + ".id", at + 2, 2, (u16(at + 2) & 0xfff) + " (priority " + (u16(at + 2) >>> 13) + ")");
            at += 4;
        }
        int type = u16(at);
        add("eth.type", at, 2, String.format("0x%04x", type));
        at += 2;
        layers.put("eth", new int[] {0, at});
        payloadOffset = at;
        if (type == PacketBuilder.ETH_P_IP && at + 20 <= frame.length) {
            int ihl = (frame[at] & 0xf) * 4;
            int protocol = frame[at + 9] & 0xff;
            add("ipv4.length", at + 2, 2, Integer.toString(u16(at + 2)));
            add("ipv4.ttl", at + 8, 1, Integer.toString(frame[at + 8] & 0xff));
            add("ipv4.protocol", at + 9, 1, Integer.toString(protocol));
            boolean right = ihl >= 20 && at + ihl <= frame.length && Checksums.valid(frame, at, ihl, 0);
            add("ipv4.checksum", at + 10, 2, String.format("0x%04x (%s)", u16(at + 10), right ? "right" : "wrong"));
            add("ipv4.src", at + 12, 4, ip(at + 12, 4));
            add("ipv4.dst", at + 16, 4, ip(at + 16, 4));
            layers.put("ipv4", new int[] {at, Math.min(frame.length, at + Math.max(ihl, 20))});
            int end = Math.min(frame.length, at + u16(at + 2));
            long pseudo = Checksums.pseudoHeaderSum(java.util.Arrays.copyOfRange(frame, at + 12, at + 16),
                    java.util.Arrays.copyOfRange(frame, at + 16, at + 20), protocol, end - at - ihl);
            transport(protocol, at + ihl, end, protocol == PacketBuilder.IPPROTO_ICMP ? 0 : pseudo);
        } else if (type == PacketBuilder.ETH_P_IPV6 && at + 40 <= frame.length) {
            int protocol = frame[at + 6] & 0xff;
            add("ipv6.length", at + 4, 2, Integer.toString(u16(at + 4)));
            add("ipv6.next_header", at + 6, 1, Integer.toString(protocol));
            add("ipv6.hop_limit", at + 7, 1, Integer.toString(frame[at + 7] & 0xff));
            add("ipv6.src", at + 8, 16, ip(at + 8, 16));
            add("ipv6.dst", at + 24, 16, ip(at + 24, 16));
            layers.put("ipv6", new int[] {at, at + 40});
            int end = Math.min(frame.length, at + 40 + u16(at + 4));
            long pseudo = Checksums.pseudoHeaderSum(java.util.Arrays.copyOfRange(frame, at + 8, at + 24),
                    java.util.Arrays.copyOfRange(frame, at + 24, at + 40), protocol, end - at - 40);
            transport(protocol, at + 40, end, pseudo);
        }
    }

    private void transport(int protocol, int at, int end, long pseudo) {
        payloadOffset = Math.min(at, frame.length);
        String checked = at <= end && end <= frame.length && Checksums.valid(frame, at, end - at, pseudo)
                ? "right" : "wrong";
        if (protocol == PacketBuilder.IPPROTO_UDP && at + 8 <= frame.length) {
            add("udp.src_port", at, 2, Integer.toString(u16(at)));
            add("udp.dst_port", at + 2, 2, Integer.toString(u16(at + 2)));
            add("udp.length", at + 4, 2, Integer.toString(u16(at + 4)));
            add("udp.checksum", at + 6, 2, String.format("0x%04x (%s)", u16(at + 6), checked));
            payloadOffset = at + 8;
            layers.put("udp", new int[] {at, payloadOffset});
        } else if (protocol == PacketBuilder.IPPROTO_TCP && at + 20 <= frame.length) {
            add("tcp.src_port", at, 2, Integer.toString(u16(at)));
            add("tcp.dst_port", at + 2, 2, Integer.toString(u16(at + 2)));
            add("tcp.seq", at + 4, 4, Integer.toUnsignedString(u16(at + 4) << 16 | u16(at + 6)));
            add("tcp.flags", at + 13, 1, String.format("0x%02x", frame[at + 13] & 0x3f));
            add("tcp.checksum", at + 16, 2, String.format("0x%04x (%s)", u16(at + 16), checked));
            payloadOffset = Math.min(frame.length, at + Math.max(20, ((frame[at + 12] & 0xf0) >>> 4) * 4));
            layers.put("tcp", new int[] {at, payloadOffset});
        } else if ((protocol == PacketBuilder.IPPROTO_ICMP || protocol == PacketBuilder.IPPROTO_ICMPV6)
                && at + 8 <= frame.length) {
            String layer = protocol == PacketBuilder.IPPROTO_ICMP ? "icmp" : "icmpv6";
            add(layer + ".type", at, 1, Integer.toString(frame[at] & 0xff));
            add(layer + ".code", at + 1, 1, Integer.toString(frame[at + 1] & 0xff));
            add(layer + ".checksum", at + 2, 2, String.format("0x%04x (%s)", u16(at + 2), checked));
            payloadOffset = at + 4;
            layers.put(layer, new int[] {at, payloadOffset});
        }
    }

    private void add(String name, int offset, int length, String value) {
        fields.add(new Field(name, offset, length, value));
    }

    private int u16(int at) {
        return at + 2 <= frame.length ? (frame[at] & 0xff) << 8 | (frame[at + 1] & 0xff) : -1;
    }

    private String mac(int at) {
        return HexFormat.ofDelimiter(":").formatHex(frame, at, at + 6);
    }

    private String ip(int at, int length) {
        try {
            return java.net.InetAddress.getByAddress(java.util.Arrays.copyOfRange(frame, at, at + length))
                    .getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }
}
