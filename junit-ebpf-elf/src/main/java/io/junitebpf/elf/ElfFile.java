package io.junitebpf.elf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An ELF executable, shared library or object file, parsed once into an immutable value: header,
 * sections, program headers, symbols and USDT probes, plus the attach offsets derived from them.
 *
 * <p>The offsets are the ones libbpf computes for {@code bpf_program__attach_uprobe} and
 * {@code bpf_program__attach_usdt}: a symbol's {@code st_value} translated through its section
 * ({@code value - sh_addr + sh_offset}), which works alike for PIE and non-PIE executables and
 * shared libraries.
 *
 * <pre>{@code
 * ElfFile umark = ElfFile.read(Path.of("/tmp/umark"));
 * long offset = umark.fileOffset("func_uprobe1");
 * UsdtProbe probe = umark.usdtProbe("groupa", "probe1");
 * }</pre>
 *
 * <p>The file is read completely by {@link #read(Path)} and not kept open, so there is nothing
 * to close.
 */
public final class ElfFile {

    private static final int MAX_LISTED = 20;

    private final String displayName;
    private final ElfHeader header;
    private final List<ElfSection> sections;
    private final List<ElfSegment> segments;
    private final List<ElfSymbol> symbols;
    private final List<ElfRelocation> relocations;
    private final Map<String, List<ElfSymbol>> symbolsByName = new HashMap<>();
    private final List<UsdtProbe> probes;

    private ElfFile(String displayName, ElfParser.Parsed parsed) {
        this.displayName = displayName;
        this.header = parsed.header();
        this.sections = parsed.sections();
        this.segments = parsed.segments();
        this.symbols = parsed.symbols();
        this.relocations = parsed.relocations();
        for (ElfSymbol s : symbols) {
            symbolsByName.computeIfAbsent(s.name(), k -> new ArrayList<>(1)).add(s);
            if (!s.baseName().equals(s.name())) {
                symbolsByName.computeIfAbsent(s.baseName(), k -> new ArrayList<>(1)).add(s);
            }
        }
        this.probes = parsed.notes().stream().map(this::probe).toList();
    }

    /**
     * Reads and parses a file.
     *
     * @param path an executable, shared library or object file
     * @return the parsed file
     * @throws ElfException if the path is missing, a directory, unreadable, not ELF, truncated
     *     or malformed
     */
    public static ElfFile read(Path path) {
        Objects.requireNonNull(path, "path");
        try (ElfInput in = ElfInput.open(path)) {
            return new ElfFile(in.displayName(), ElfParser.parse(in));
        }
    }

    /**
     * Parses a file already in memory, such as a classpath resource.
     *
     * @param bytes the whole file; copied, so later changes do not affect the result
     * @param displayName how messages name the file, e.g. a resource path
     * @return the parsed file
     * @throws ElfException if the bytes are not ELF, truncated or malformed
     */
    public static ElfFile parse(byte[] bytes, String displayName) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(displayName, "displayName");
        try (ElfInput in = ElfInput.of(bytes, displayName)) {
            return new ElfFile(displayName, ElfParser.parse(in));
        }
    }

    /**
     * Tells whether bytes start with the ELF magic {@code 7f 45 4c 46}, without parsing more.
     *
     * @param bytes the start of a file, or all of it
     * @return true if the first four bytes are the ELF magic
     */
    public static boolean isElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L'
                && bytes[3] == 'F';
    }

    /**
     * Returns the name messages use for this file.
     *
     * @return the path or display name given when reading
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns the file header.
     *
     * @return class, byte order, type and machine
     */
    public ElfHeader header() {
        return header;
    }

    /**
     * Returns all section headers in table order.
     *
     * @return unmodifiable list; empty if the file has no section header table
     */
    public List<ElfSection> sections() {
        return sections;
    }

    /**
     * Finds a section by name.
     *
     * @param name e.g. {@code .text}
     * @return the first section with that name
     */
    public Optional<ElfSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Returns all program headers in table order; see {@link ElfSegment#isLoad()}.
     *
     * @return unmodifiable list; empty for relocatable objects
     */
    public List<ElfSegment> segments() {
        return segments;
    }

    /**
     * Returns all named symbols: {@code .symtab} entries first, then {@code .dynsym}.
     *
     * @return unmodifiable list
     */
    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /**
     * Returns the relocations of a relocatable object ({@code ET_REL}), in section order, each
     * checked to patch a place inside its target section with a symbol of the linked table.
     *
     * @return unmodifiable list; empty for executables and shared libraries, whose dynamic
     *     relocations are not read
     */
    public List<ElfRelocation> relocations() {
        return relocations;
    }

    /**
     * Finds the most useful symbol with a name: a defined one before an undefined one, global
     * before weak before local, {@code .symtab} before {@code .dynsym}. A name without a version
     * also matches versioned entries, the default version first ({@code memcpy} finds
     * {@code memcpy@@GLIBC_2.14} rather than {@code memcpy@GLIBC_2.2.5}).
     *
     * @param name symbol name
     * @return the symbol, or empty if no table has it
     */
    public Optional<ElfSymbol> symbol(String name) {
        return named(name).stream().min(Comparator
                .comparing((ElfSymbol s) -> !s.isDefined())
                .thenComparingInt(s -> bindingRank(s.binding()))
                .thenComparing(ElfSymbol::table));
    }

    /**
     * Returns the functions defined in this file (types {@code FUNC} and {@code GNU_IFUNC}),
     * once per name and address even when both symbol tables list them.
     *
     * @return unmodifiable list in table order
     */
    public List<ElfSymbol> functions() {
        Map<String, ElfSymbol> unique = new LinkedHashMap<>();
        for (ElfSymbol s : symbols) {
            if (s.isFunction()) {
                unique.putIfAbsent(s.name() + "@" + s.value(), s);
            }
        }
        return List.copyOf(unique.values());
    }

    /**
     * Computes the uprobe attach offset of a function, as libbpf's {@code elf_find_func_offset}
     * does. For an {@code STT_GNU_IFUNC} symbol this is the offset of its resolver.
     *
     * @param functionName symbol name, optionally with a version
     * @return offset of the function's first instruction in the file
     * @throws ElfLookupException if no symbol has this name; the message lists similar ones
     * @throws ElfException if the symbol is undefined here, not a function, or ambiguous
     */
    public long fileOffset(String functionName) {
        List<ElfSymbol> named = named(functionName);
        List<ElfSymbol> candidates = named.stream().filter(ElfSymbol::isFunction).toList();
        if (candidates.isEmpty()) {
            throw notAttachable(functionName, named);
        }
        int best = candidates.stream().mapToInt(s -> bindingRank(s.binding())).min().orElseThrow();
        List<Long> offsets = candidates.stream().filter(s -> bindingRank(s.binding()) == best)
                .map(this::symbolOffset).distinct().toList();
        if (offsets.size() > 1) {
            throw new ElfException("fileOffset: symbol '" + functionName + "' is ambiguous in "
                    + displayName + ": " + offsets.size() + " definitions at offsets "
                    + offsets.stream().map(o -> "0x" + Long.toHexString(o))
                            .collect(Collectors.joining(", "))
                    + " (attach by offset instead)");
        }
        return offsets.getFirst();
    }

    /**
     * Translates a virtual address into a file offset through the {@code PT_LOAD} segment that
     * contains it ({@code address - p_vaddr + p_offset}), or through the containing section when
     * the file has no program headers.
     *
     * @param address virtual address as the linker assigned it
     * @return the file offset
     * @throws ElfException if no segment or section contains the address
     */
    public long fileOffsetOfAddress(long address) {
        for (ElfSegment s : segments) {
            if (s.isLoad() && s.containsAddress(address)) {
                return address - s.virtualAddress() + s.offset();
            }
        }
        if (segments.stream().noneMatch(ElfSegment::isLoad)) {
            for (ElfSection s : sections) {
                if (s.containsAddress(address)) {
                    return address - s.address() + s.offset();
                }
            }
        }
        throw new ElfException("fileOffsetOfAddress: address 0x" + Long.toHexString(address)
                + " lies in no loadable segment of " + displayName + " (is it from another file?)");
    }

    /**
     * Returns the USDT probes of {@code .note.stapsdt}, in note order.
     *
     * @return unmodifiable list; empty if the file has no such notes
     */
    public List<UsdtProbe> usdtProbes() {
        return probes;
    }

    /**
     * Finds one USDT probe.
     *
     * @param provider e.g. {@code groupa}
     * @param name e.g. {@code probe1}
     * @return the first probe with this provider and name (a probe fired from several places
     *     has one note per place; see {@link #usdtProbes()} for all of them)
     * @throws ElfLookupException if there is none; the message lists the probes the file has
     */
    public UsdtProbe usdtProbe(String provider, String name) {
        for (UsdtProbe p : probes) {
            if (p.provider().equals(provider) && p.name().equals(name)) {
                return p;
            }
        }
        String wanted = provider + ":" + name;
        List<String> all = probes.stream().map(UsdtProbe::qualifiedName).distinct().toList();
        if (all.isEmpty()) {
            throw new ElfLookupException("USDT probe " + wanted + " not found in " + displayName
                    + "; it has no USDT probes (was it built with <sys/sdt.h>, and are its "
                    + ".note.stapsdt notes kept?)", wanted, List.of());
        }
        if (all.size() <= MAX_LISTED) {
            throw new ElfLookupException("USDT probe " + wanted + " not found in " + displayName
                    + "; it has: " + String.join(", ", all), wanted, all);
        }
        List<String> close = SimilarNames.closest(wanted, all, MAX_LISTED);
        throw new ElfLookupException("USDT probe " + wanted + " not found in " + displayName
                + "; it has " + all.size() + " probes"
                + (close.isEmpty() ? ", none with a similar name" : ", similar: "
                        + String.join(", ", close)), wanted, close);
    }

    @Override
    public String toString() {
        return "ElfFile[" + displayName + ", " + header.elfClass() + " " + header.type() + " "
                + header.machineName() + ", " + sections.size() + " sections, " + symbols.size()
                + " symbols, " + probes.size() + " USDT probes]";
    }

    private List<ElfSymbol> named(String name) {
        Objects.requireNonNull(name, "name");
        List<ElfSymbol> found = symbolsByName.getOrDefault(name, List.of());
        if (name.contains("@")) {
            return found.stream().filter(s -> s.name().equals(name)).toList();
        }
        // Prefer exact names; fall back to versioned entries such as malloc@@GLIBC_2.2.5, and
        // among those to the default (@@) version, which new links bind to.
        List<ElfSymbol> exact = found.stream().filter(s -> s.name().equals(name)).toList();
        if (!exact.isEmpty()) {
            return exact;
        }
        List<ElfSymbol> defaults = found.stream().filter(s -> s.name().contains("@@")).toList();
        return defaults.isEmpty() ? found : defaults;
    }

    private ElfException notAttachable(String name, List<ElfSymbol> named) {
        if (named.isEmpty()) {
            List<String> similar = SimilarNames.closest(name,
                    functions().stream().map(ElfSymbol::name).toList(), 8);
            String hint = similar.isEmpty()
                    ? " (no function has a similar name" + (section(".symtab").isEmpty()
                            ? "; the file has no .symtab, so only exported functions are visible)"
                            : ")")
                    : "; similar: " + String.join(", ", similar);
            return new ElfLookupException("symbol '" + name + "' not found in " + displayName
                    + hint, name, similar);
        }
        if (named.stream().noneMatch(ElfSymbol::isDefined)) {
            return new ElfException("fileOffset: symbol '" + name + "' is undefined in "
                    + displayName + " (it is imported from a shared library; attach to the "
                    + "library that defines it)");
        }
        ElfSymbol first = named.stream().filter(ElfSymbol::isDefined).findFirst().orElseThrow();
        return new ElfException("fileOffset: symbol '" + name + "' in " + displayName + " is "
                + first.type() + ", not a function (uprobes attach to code)");
    }

    /** {@code st_value - sh_addr + sh_offset}, falling back to the segments for odd indexes. */
    private long symbolOffset(ElfSymbol s) {
        int index = s.sectionIndex();
        if (index > 0 && index < sections.size() && index < ElfSymbol.SHN_LORESERVE) {
            ElfSection section = sections.get(index);
            if (section.type() != ElfSection.SHT_NOBITS) {
                return s.value() - section.address() + section.offset();
            }
        }
        return fileOffsetOfAddress(s.value());
    }

    private UsdtProbe probe(ElfParser.StapsdtNote note) {
        // Prelink moves the whole image after the notes were written; the distance between
        // .stapsdt.base now and as recorded in the note is how far every address moved.
        long actualBase = section(".stapsdt.base").map(ElfSection::address).orElse(0L);
        long shift = actualBase != 0 && note.base() != 0 ? actualBase - note.base() : 0;
        long locationOffset = -1;
        long semaphoreOffset = 0;
        // A relocatable object's addresses are not final until it is linked.
        if (header.type() != ElfHeader.Type.REL) {
            String what = "USDT probe " + note.provider() + ":" + note.name();
            locationOffset = translate(note.location() + shift, what + " location");
            if (note.semaphore() != 0) {
                semaphoreOffset = translate(note.semaphore() + shift, what + " semaphore");
            }
        }
        return new UsdtProbe(note.provider(), note.name(), note.location(), note.base(),
                note.semaphore(), note.argumentSpec(), locationOffset, semaphoreOffset);
    }

    private long translate(long address, String what) {
        try {
            return fileOffsetOfAddress(address);
        } catch (ElfException e) {
            throw new ElfException("ELF file " + displayName + ": malformed: " + what + " 0x"
                    + Long.toHexString(address) + " lies in no loadable segment (is the file "
                    + "corrupt?)", e);
        }
    }

    private static int bindingRank(ElfSymbol.Binding binding) {
        return switch (binding) {
            case GLOBAL -> 0;
            case GNU_UNIQUE, WEAK -> 1;
            case LOCAL -> 2;
            case OTHER -> 3;
        };
    }
}
