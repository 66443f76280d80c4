package io.junitebpf.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** Parses the textual addresses the builder takes, without name lookups. */
final class Addresses {

    private Addresses() {
    }

    /** "02:00:00:00:00:01" → 6 bytes. */
    static byte[] mac(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("MAC address '" + text + "': give six hex bytes, e.g. 02:00:00:00:00:01");
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("MAC address '" + text + "': '" + parts[i] + "' is not one hex byte");
            }
            try {
                mac[i] = (byte) HexFormat.fromHexDigits(parts[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MAC address '" + text + "': '" + parts[i] + "' is not hex", e);
            }
        }
        return mac;
    }

    static byte[] ipv4(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("IPv4 address '" + text + "': give four decimal bytes, e.g. 10.0.0.1");
        }
        byte[] address = literal(text, "IPv4");
        if (!(address.length == 4)) {
            throw new IllegalArgumentException("IPv4 address '" + text + "' is not an IPv4 address");
        }
        return address;
    }

    static byte[] ipv6(String text) {
        if (!text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("IPv6 address '" + text + "': give an IPv6 literal, e.g. fd00::1");
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(text); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("IPv6 address '" + text + "': " + e.getMessage(), e);
        }
        if (parsed instanceof Inet6Address v6) {
            return v6.getAddress();
        }
        // "::ffff:1.2.3.4" comes back as IPv4: keep the IPv4-mapped form
        byte[] v4 = ((Inet4Address) parsed).getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);
        return mapped;
    }

    private static byte[] literal(String text, String kind) {
        try {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException(kind + " address '" + text + "': " + part + " is over 255");
                }
            }
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(kind + " address '" + text + "': " + e.getMessage(), e);
        }
    }
}
