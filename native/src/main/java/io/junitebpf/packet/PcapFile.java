package io.junitebpf.packet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A classic libpcap capture file (what {@code tcpdump -w} writes): either byte
 * order, microsecond or nanosecond timestamps. pcapng is not read: convert it
 * with {@code editcap -F pcap in.pcapng out.pcap}.
 *
 * @param linkType   the LINKTYPE_* of every record ({@link #LINKTYPE_ETHERNET} for Ethernet frames)
 * @param snapLength the most bytes of a packet the capture kept
 * @param records    the packets, in file order
 */
public record PcapFile(int linkType, int snapLength, List<Record> records) {

    /** LINKTYPE_ETHERNET: records are Ethernet frames. */
    public static final int LINKTYPE_ETHERNET = 1;

    private static final int MAGIC_MICROS = 0xa1b2c3d4;
    private static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int MAGIC_PCAPNG = 0x0a0d0d0a;
    private static final int HEADER = 24;
    private static final int RECORD_HEADER = 16;

    /**
     * One captured packet.
     *
     * @param timestamp      when it was captured
     * @param originalLength its length on the wire ({@code data} is shorter when the capture truncated it)
     * @param data           the captured bytes
     */
    public record Record(Instant timestamp, int originalLength, byte[] data) {
    }

    public PcapFile {
        records = List.copyOf(records);
    }

    /** Reads {@code file}. */
    public static PcapFile read(Path file) {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("read pcap " + file + ": " + e.getMessage(), e);
        }
        return read(bytes, file.toString());
    }

    /** Reads a capture held in memory; {@code name} appears in errors. */
    public static PcapFile read(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, "bytes");
        String operation = "read pcap " + name;
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException(operation + ": " + bytes.length + " bytes is shorter than a pcap file"
                    + " header (" + HEADER + " bytes): not a pcap file");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int magic = in.getInt(0);
        boolean nanos;
        if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
            nanos = magic == MAGIC_NANOS;
        } else if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            nanos = Integer.reverseBytes(magic) == MAGIC_NANOS;
            in.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic == MAGIC_PCAPNG) {
            throw new IllegalArgumentException(operation + ": a pcapng file, not a classic pcap (convert it with"
                    + " editcap -F pcap IN OUT, or save as \"pcap\" in Wireshark)");
        } else {
            throw new IllegalArgumentException(operation + ": not a pcap file (magic 0x" + Integer.toHexString(magic)
                    + ", expected a1b2c3d4 or a1b23c4d in either byte order)");
        }
        int major = Short.toUnsignedInt(in.getShort(4));
        if (major != 2) {
            throw new IllegalArgumentException(operation + ": pcap format version " + major + "." + in.getShort(6)
                    + " (only 2.x exists)");
        }
        int snapLength = in.getInt(16);
        int linkType = in.getInt(20) & 0x0fffffff; // the top bits carry FCS information
        List<Record> records = new ArrayList<>();
        in.position(HEADER);
        while (in.hasRemaining()) {
            int at = in.position();
            try {
                long seconds = Integer.toUnsignedLong(in.getInt());
                long fraction = Integer.toUnsignedLong(in.getInt());
                int captured = in.getInt();
                int original = in.getInt();
                if (captured < 0 || captured > in.remaining()) {
                    throw new IllegalArgumentException(operation + ": record " + records.size() + " at byte " + at
                            + " claims " + Integer.toUnsignedString(captured) + " bytes but " + in.remaining()
                            + " remain (a truncated or corrupt file)");
                }
                byte[] data = new byte[captured];
                in.get(data);
                records.add(new Record(Instant.ofEpochSecond(seconds, nanos ? fraction : fraction * 1000),
                        original, data));
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException(operation + ": record " + records.size() + " at byte " + at
                        + " has a header cut short (" + (bytes.length - at) + " of " + RECORD_HEADER + " bytes)", e);
            }
        }
        return new PcapFile(linkType, snapLength, records);
    }

    /** The records' bytes, for a parameterized test over the capture. */
    public List<byte[]> packets() {
        return records.stream().map(Record::data).toList();
    }

    /**
     * A capture of Ethernet frames, as a test writes one: timestamps one microsecond apart from the epoch,
     * the snap length the longest frame.
     */
    public static PcapFile ofEthernet(List<byte[]> frames) {
        Objects.requireNonNull(frames, "frames");
        List<Record> records = new ArrayList<>();
        int snap = 0;
        for (byte[] frame : frames) {
            Objects.requireNonNull(frame, "frame " + records.size());
            records.add(new Record(Instant.ofEpochSecond(0, records.size() * 1000L), frame.length, frame.clone()));
            snap = Math.max(snap, frame.length);
        }
        return new PcapFile(LINKTYPE_ETHERNET, Math.max(snap, 1), records);
    }

    /** The file's bytes: classic pcap 2.4, nanosecond timestamps, big-endian (what {@link #read} reads back). */
    public byte[] toBytes() {
        int size = HEADER + records.stream().mapToInt(r -> RECORD_HEADER + r.data().length).sum();
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(snapLength).putInt(linkType);
        for (Record r : records) {
            out.putInt((int) r.timestamp().getEpochSecond()).putInt(r.timestamp().getNano())
                    .putInt(r.data().length).putInt(r.originalLength()).put(r.data());
        }
        return out.array();
    }

    /** Writes {@link #toBytes} to {@code file}, e.g. for tcpdump -r or Wireshark to show it. */
    public Path write(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("write pcap " + file + ": " + e.getMessage(), e);
        }
    }
}
