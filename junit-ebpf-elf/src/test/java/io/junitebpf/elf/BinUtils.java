package io.junitebpf.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference tools the ELF reader is checked against: cc to build umark, clang to build a BPF
 * object, and binutils' nm and readelf to say independently what the file contains.
 */
public final class BinUtils {

    /** A section as {@code readelf -SW} prints it. */
    record Section(String name, long address, long offset, long size) {
        boolean contains(long value) {
            return address != 0 && value >= address && value < address + size;
        }
    }

    /** A note as {@code readelf -n} prints it. */
    record Note(String provider, String name, long location, long base, long semaphore,
            String arguments) {
    }

    private static final Pattern SECTION = Pattern.compile(
            "^\\s*\\[\\s*\\d+]\\s+(\\S+)\\s+\\S+\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s");
    private static final Pattern LOCATION = Pattern.compile(
            "Location: 0x([0-9a-f]+), Base: 0x([0-9a-f]+), Semaphore: 0x([0-9a-f]+)");

    private BinUtils() {
    }

    /** Compiles the umark resource shipped by the umark module into {@code dir/name}. */
    static Path compileUmark(Path dir, String name, String... extraFlags) throws Exception {
        Path source = dir.resolve("umark.c");
        if (!Files.exists(source)) {
            try (InputStream in =
                    BinUtils.class.getResourceAsStream("/io/junitebpf/umark/umark.c")) {
                assertThat(in).as("umark.c resource from the umark module").isNotNull();
                Files.copy(in, source);
            }
        }
        Path binary = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("cc", "-O2", "-g"));
        command.addAll(List.of(extraFlags));
        command.addAll(List.of("-o", binary.toString(), source.toString()));
        run(command.toArray(String[]::new));
        return binary;
    }

    /**
     * Compiles the test BPF object {@code bpf/kinds.bpf.c} into {@code dir/kinds.bpf.o} with the clang
     * the build uses ({@code -Djunit.ebpf.clang}, as for the Maven plugin).
     */
    public static Path compileBpfObject(Path dir) throws Exception {
        Path source = dir.resolve("kinds.bpf.c");
        try (InputStream in = BinUtils.class.getResourceAsStream("/bpf/kinds.bpf.c")) {
            assertThat(in).as("bpf/kinds.bpf.c test resource").isNotNull();
            Files.copy(in, source);
        }
        Path object = dir.resolve("kinds.bpf.o");
        run(System.getProperty("junit.ebpf.clang", "clang"), "-target", "bpf", "-g", "-O2", "-Wall",
                "-Werror", "-c", "-o", object.toString(), source.toString());
        return object;
    }

    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exit status; output:%n%s", String.join(" ", command),
                text).isZero();
        return text;
    }

    static Map<String, Section> sections(Path file) throws Exception {
        Map<String, Section> sections = new LinkedHashMap<>();
        for (String line : run("readelf", "-SW", file.toString()).split("\n")) {
            Matcher m = SECTION.matcher(line);
            if (m.find()) {
                sections.putIfAbsent(m.group(1), new Section(m.group(1), hex(m.group(2)),
                        hex(m.group(3)), hex(m.group(4))));
            }
        }
        return sections;
    }

    /** The value of a defined symbol per {@code nm} (or {@code nm -D} when dynamic is true). */
    static long nmValue(Path file, String symbol, boolean dynamic) throws Exception {
        String output = dynamic ? run("nm", "-D", "--defined-only", file.toString())
                : run("nm", "--defined-only", file.toString());
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3 && (fields[2].equals(symbol)
                    || fields[2].startsWith(symbol + "@@"))) {
                return hex(fields[0]);
            }
        }
        throw new AssertionError("nm does not list " + symbol + " in " + file);
    }

    /** {@code value - sh_addr + sh_offset} computed from readelf's view of the sections. */
    static long expectedOffset(Path file, long value) throws Exception {
        return sections(file).values().stream().filter(s -> s.contains(value)).findFirst()
                .map(s -> value - s.address() + s.offset())
                .orElseThrow(() -> new AssertionError("no section contains 0x"
                        + Long.toHexString(value)));
    }

    static List<Note> notes(Path file) throws Exception {
        List<Note> notes = new ArrayList<>();
        String provider = null;
        String name = null;
        Matcher location = null;
        for (String line : run("readelf", "-n", file.toString()).split("\n")) {
            String text = line.trim();
            if (text.contains("Provider: ")) {
                // readelf may print it on the owner's line, after a tab
                provider = text.substring(text.indexOf("Provider: ") + 10);
            } else if (text.startsWith("Name: ")) {
                name = text.substring(6);
            } else if (text.startsWith("Location: ")) {
                location = LOCATION.matcher(text);
                assertThat(location.find()).isTrue();
                // readelf omits "Arguments:" for probes without arguments
                notes.add(new Note(provider, name, hex(location.group(1)), hex(location.group(2)),
                        hex(location.group(3)), ""));
            } else if (text.startsWith("Arguments:")) {
                Note last = notes.removeLast();
                notes.add(new Note(last.provider(), last.name(), last.location(), last.base(),
                        last.semaphore(), text.substring("Arguments:".length()).trim()));
            }
        }
        return notes;
    }

    private static long hex(String text) {
        return Long.parseUnsignedLong(text, 16);
    }
}
