package io.junitebpf.btf;

import io.junitebpf.elf.ElfException;
import io.junitebpf.elf.ElfFile;
import io.junitebpf.elf.ElfHeader;
import io.junitebpf.elf.ElfSection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The BTF type information of a BPF object or a kernel, read in pure Java.
 *
 * <p>Accepts either a compiled BPF object (ELF, whose {@code .BTF} section is read) or a raw BTF
 * blob such as {@code /sys/kernel/btf/vmlinux}. Immutable and safe to share between threads; it
 * holds no kernel state, so it can check a Java record against a C struct before anything is
 * loaded. Split BTF (kernel modules, which refer to vmlinux's ids) is not supported.
 *
 * <pre>{@code
 * Btf btf = Btf.read(Path.of("uprobe.bpf.o"));
 * BtfStruct event = btf.requireStruct("uprobe_event");
 * BtfMember x = event.member("x").orElseThrow();   // __u64 x at byte 72
 * }</pre>
 */
public final class Btf {

    private static final int LISTED_NAMES = 20;

    private final String source;
    private final TypeTable types;
    private final Map<String, BtfStruct> structs;

    private Btf(String source, TypeTable types) {
        this.source = source;
        this.types = types;
        Map<String, BtfStruct> byName = new LinkedHashMap<>();
        for (int id = 1; id < types.size(); id++) {
            // The first definition wins: a name that appears twice did so because deduplication
            // could not merge two layouts, and the first is what bpftool shows first.
            if (types.get(id) instanceof BtfStruct s && !s.name().isEmpty()) {
                byName.putIfAbsent(s.name(), s);
            }
        }
        this.structs = byName;
    }

    /**
     * Reads BTF from an ELF BPF object or a raw BTF blob.
     *
     * @throws BtfException when the bytes are neither, have no {@code .BTF} section, or are corrupt
     */
    public static Btf parse(byte[] elfOrRawBtf) {
        return parse("<" + elfOrRawBtf.length + " bytes>", elfOrRawBtf);
    }

    /**
     * As {@link #parse(byte[])}, naming the input in messages.
     *
     * @param source what the bytes are, e.g. the resource name {@code bpf/uprobe.bpf.o}
     */
    public static Btf parse(String source, byte[] elfOrRawBtf) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(elfOrRawBtf, "elfOrRawBtf");
        if (elfOrRawBtf.length == 0) {
            throw new BtfException("BTF: " + source + " is empty (expected a BPF object file or raw BTF"
                    + " such as /sys/kernel/btf/vmlinux)");
        }
        if (ElfFile.isElf(elfOrRawBtf)) {
            ElfSection btf = btfSection(source, elfOrRawBtf);
            return new Btf(source, BtfParser.parse(elfOrRawBtf, (int) btf.offset(), (int) btf.size(), source));
        }
        if (elfOrRawBtf.length >= 2 && isBtfMagic(elfOrRawBtf)) {
            return new Btf(source, BtfParser.parse(elfOrRawBtf, 0, elfOrRawBtf.length, source));
        }
        throw new BtfException("BTF: " + source + " is neither an ELF object nor raw BTF (starts with "
                + hex(elfOrRawBtf) + "; expected ELF magic 7f 45 4c 46 or BTF magic 9f eb)");
    }

    /** The {@code .BTF} section of an ELF object, found by the ELF reader and checked to lie in the bytes. */
    private static ElfSection btfSection(String source, byte[] elf) {
        ElfFile file;
        try {
            file = ElfFile.parse(elf, source);
        } catch (ElfException e) {
            throw new BtfException("BTF: " + e.getMessage(), e);
        }
        if (file.header().elfClass() != ElfHeader.ElfClass.ELF64) {
            throw new BtfException("BTF: " + source + " is not an ELF64 file (" + file.header().elfClass() + " "
                    + file.header().machineName() + "; BPF objects are ELF64)");
        }
        ElfSection btf = file.section(".BTF").orElseThrow(() -> new BtfException("BTF: no .BTF section in " + source
                + " (compile the BPF object with clang -g so that it carries BTF)"));
        if (btf.type() == ElfSection.SHT_NOBITS) {
            throw new BtfException("BTF: the .BTF section of " + source + " has no data (SHT_NOBITS; corrupt object)");
        }
        // Offsets are unsigned 64-bit in the file; negative here means they overflowed a long.
        if (btf.offset() < 0 || btf.size() < 0 || btf.offset() > elf.length || btf.size() > elf.length - btf.offset()) {
            throw new BtfException("BTF: truncated ELF file " + source + ": .BTF section at offset "
                    + Long.toUnsignedString(btf.offset()) + " with " + Long.toUnsignedString(btf.size())
                    + " bytes lies beyond its " + elf.length + " bytes (file cut short or corrupt)");
        }
        return btf;
    }

    /**
     * Reads BTF from a file: a BPF object or raw BTF such as {@code /sys/kernel/btf/vmlinux}.
     *
     * @throws BtfException when the file cannot be read or holds no valid BTF
     */
    public static Btf read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BtfException("BTF: cannot read " + file + ": " + e
                    + " (check that the file exists and is readable)", e);
        }
        return parse(file.toString(), bytes);
    }

    /** What was parsed, as named in messages: a file path, a resource name or {@code <N bytes>}. */
    public String source() {
        return source;
    }

    /** The type with this id; id 0 is {@link BtfType.Void}, unknown ids give empty. */
    public Optional<BtfType> type(int id) {
        return id >= 0 && id < types.size() ? Optional.of(types.get(id)) : Optional.empty();
    }

    /** All types indexed by id, starting with {@link BtfType.Void} at index 0. */
    public List<BtfType> types() {
        return new AbstractList<>() {
            @Override
            public BtfType get(int index) {
                return type(index).orElseThrow(() -> new IndexOutOfBoundsException(index));
            }

            @Override
            public int size() {
                return types.size();
            }
        };
    }

    /** The struct or union with this tag name (without the {@code struct} keyword). */
    public Optional<BtfStruct> struct(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    /**
     * The struct or union with this tag name.
     *
     * @throws BtfException naming the struct names this BTF does have, and the closest one
     */
    public BtfStruct requireStruct(String name) {
        BtfStruct found = structs.get(name);
        if (found != null) {
            return found;
        }
        List<String> names = structNames();
        if (names.isEmpty()) {
            throw new BtfException("BTF: no struct '" + name + "' in " + source + "; it declares no structs"
                    + " (a struct used only in C code leaves no BTF: use it in a map, variable or program)");
        }
        Map<String, Integer> distances = new HashMap<>();
        names.forEach(n -> distances.put(n, distance(n, name)));
        List<String> closest = names.stream()
                .sorted(Comparator.comparingInt((String n) -> distances.get(n)).thenComparing(Comparator.naturalOrder()))
                .toList();
        String listing = names.size() <= LISTED_NAMES
                ? "structs: " + String.join(", ", names)
                : names.size() + " structs, closest: " + String.join(", ", closest.subList(0, LISTED_NAMES / 2));
        String best = closest.getFirst();
        String hint = distances.get(best) <= Math.max(2, name.length() / 3)
                ? " (did you mean '" + best + "'?)"
                : " (check the struct name; the C type must be used by the BPF program to appear in BTF)";
        throw new BtfException("BTF: no struct '" + name + "' in " + source + "; " + listing + hint);
    }

    /** The names of the named structs and unions, in type-id order, each once. */
    public List<String> structNames() {
        return List.copyOf(structs.keySet());
    }

    @Override
    public String toString() {
        return "Btf[" + source + ", " + (types.size() - 1) + " types, " + structs.size() + " structs]";
    }

    private static boolean isBtfMagic(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        // 0xEB9F in either byte order: the blob's own order decides how the rest is read.
        return b0 == 0x9f && b1 == 0xeb || b0 == 0xeb && b1 == 0x9f;
    }

    private static String hex(byte[] b) {
        List<String> bytes = new ArrayList<>();
        for (int i = 0; i < Math.min(4, b.length); i++) {
            bytes.add(String.format("%02x", b[i] & 0xff));
        }
        return String.join(" ", bytes);
    }

    /** Levenshtein distance, for suggesting the struct name a typo meant. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}
