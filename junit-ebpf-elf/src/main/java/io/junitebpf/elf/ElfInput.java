package io.junitebpf.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of one ELF file, read region by region with bounds checks.
 *
 * <p>Files are read with positional {@link FileChannel} reads rather than mapped: a 30 MB
 * {@code libjvm.so} then costs only its tables, and a file truncated while we read it gives an
 * {@link ElfException} instead of the {@code InternalError} a mapped buffer would raise.
 */
final class ElfInput implements AutoCloseable {

    private final String displayName;
    private final byte[] bytes;
    private final FileChannel channel;
    private final long size;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    private ElfInput(String displayName, byte[] bytes, FileChannel channel, long size) {
        this.displayName = displayName;
        this.bytes = bytes;
        this.channel = channel;
        this.size = size;
    }

    static ElfInput of(byte[] bytes, String displayName) {
        return new ElfInput(displayName, bytes.clone(), null, bytes.length);
    }

    static ElfInput open(Path path) {
        String name = path.toString();
        // Checked up front because FileChannel.open succeeds on a directory on Linux and only
        // the first read fails, with an unhelpful "Is a directory".
        if (Files.isDirectory(path)) {
            throw new ElfException("ELF file " + name + ": is a directory (pass the path of an "
                    + "executable, shared library or object file)");
        }
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                return new ElfInput(name, null, channel, channel.size());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new ElfException("ELF file " + name + ": no such file (check the path, or "
                    + "build the target first)", e);
        } catch (AccessDeniedException e) {
            throw new ElfException("ELF file " + name + ": permission denied (the test user "
                    + "needs read access to the file)", e);
        } catch (IOException e) {
            throw new ElfException("ELF file " + name + ": cannot open: " + e.getMessage(), e);
        }
    }

    String displayName() {
        return displayName;
    }

    long size() {
        return size;
    }

    void order(ByteOrder byteOrder) {
        this.order = byteOrder;
    }

    /**
     * Reads {@code length} bytes at {@code offset} into a buffer in the file's byte order.
     *
     * @param what what the bytes are, for the message when they are missing
     */
    ByteBuffer read(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw truncated(size, offset, length, what);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new ElfException("ELF file " + displayName + ": " + what + " is " + length
                    + " bytes, too large to read (is the file corrupt?)");
        }
        if (bytes != null) {
            return ByteBuffer.wrap(bytes, (int) offset, (int) length).slice().order(order);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, offset + buffer.position());
                if (n < 0) {
                    // The file shrank since we measured it.
                    throw truncated(offset + buffer.position(), offset, length, what);
                }
            }
        } catch (IOException e) {
            throw new ElfException("ELF file " + displayName + ": cannot read " + what
                    + " at offset " + offset + ": " + e.getMessage(), e);
        }
        return buffer.flip().order(order);
    }

    /** @param end where the file's data stops; {@code offset}, {@code length}: what was wanted */
    ElfException truncated(long end, long offset, long length, String what) {
        return new ElfException("ELF file " + displayName + ": truncated at offset "
                + end + " (" + what + " needs "
                + Long.toUnsignedString(length) + " bytes at offset "
                + Long.toUnsignedString(offset) + ", the file has " + size
                + "; is the file complete?)");
    }

    ElfException malformed(String detail) {
        return new ElfException("ELF file " + displayName + ": malformed: " + detail
                + " (is the file corrupt?)");
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Read-only channel: nothing was written that closing could lose.
            }
        }
    }
}
