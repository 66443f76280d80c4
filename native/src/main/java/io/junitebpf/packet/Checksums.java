package io.junitebpf.packet;

/** The Internet checksum (RFC 1071) and the pseudo headers TCP, UDP and ICMPv6 add to it. */
public final class Checksums {

    private Checksums() {
    }

    /** The one's-complement sum of {@code length} bytes at {@code offset}, unfolded, added to {@code sum}. */
    public static long sum(byte[] bytes, int offset, int length, long sum) {
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (bytes[i] & 0xff) << 8; // an odd last byte is padded with zero
        }
        return sum;
    }

    /** Folds a sum to 16 bits and complements it: the value to write into a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum of {@code length} bytes at {@code offset} (e.g. an IPv4 header with its checksum field 0). */
    public static int internet(byte[] bytes, int offset, int length) {
        return finish(sum(bytes, offset, length, 0));
    }

    /** Whether bytes that include their checksum field sum to all ones, i.e. the checksum is right. */
    public static boolean valid(byte[] bytes, int offset, int length, long pseudoHeaderSum) {
        return finish(sum(bytes, offset, length, pseudoHeaderSum)) == 0;
    }

    /**
     * The sum of the pseudo header (source and destination address, protocol,
     * upper-layer length) that TCP, UDP and ICMPv6 checksums cover; 4-byte
     * addresses for IPv4, 16-byte for IPv6.
     */
    public static long pseudoHeaderSum(byte[] source, byte[] destination, int protocol, int length) {
        if (source.length != destination.length || (source.length != 4 && source.length != 16)) {
            throw new IllegalArgumentException("pseudo header: addresses of " + source.length + " and "
                    + destination.length + " bytes (give two IPv4 or two IPv6 addresses)");
        }
        long sum = sum(source, 0, source.length, 0);
        sum = sum(destination, 0, destination.length, sum);
        return sum + protocol + (length & 0xffff) + (length >>> 16);
    }
}
