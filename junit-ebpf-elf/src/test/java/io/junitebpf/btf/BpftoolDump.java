package io.junitebpf.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a parsed {@link Btf} with {@code bpftool btf dump file X format raw}, the reference
 * reader, type by type and member by member.
 */
final class BpftoolDump {

    private static final Pattern TYPE = Pattern.compile("^\\[(\\d+)] (\\w+) '([^']*)'(.*)$");
    private static final Pattern MEMBER = Pattern.compile("^\\t'([^']*)'(.*)$");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([^ ,]+)");

    private BpftoolDump() {
    }

    /** The raw dump's lines; skips the test when bpftool is not installed. */
    static List<String> rawDump(Path file) throws IOException, InterruptedException {
        Path bpftool = Path.of("/usr/sbin/bpftool");
        assumeTrue(Files.isExecutable(bpftool), "bpftool is not installed at " + bpftool);
        Process p = new ProcessBuilder(bpftool.toString(), "btf", "dump", "file", file.toString(), "format", "raw")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines;
        try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
            lines = reader.lines().toList();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bpftool finished").isTrue();
        assertThat(p.exitValue()).as("bpftool exit status for " + file).isZero();
        return lines;
    }

    /** Asserts every type's kind, name, size and references, and every struct member, as bpftool prints them. */
    static int assertMatches(Btf btf, List<String> dump) {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        BtfType current = null;
        int memberIndex = 0;
        for (String line : dump) {
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                int id = Integer.parseInt(t.group(1));
                current = btf.type(id).orElseThrow(() -> new AssertionError("no type [" + id + "]"));
                memberIndex = 0;
                compared++;
                assertType(differences, current, t.group(2), "(anon)".equals(t.group(3)) ? "" : t.group(3), fields(t.group(4)));
                continue;
            }
            Matcher m = MEMBER.matcher(line);
            if (m.matches() && current instanceof BtfStruct s) {
                BtfMember member = s.members().get(memberIndex++);
                Map<String, String> f = fields(m.group(2));
                check(differences, () -> s.cTypeName() + "." + member.name() + " name", member.name(), "(anon)".equals(m.group(1)) ? "" : m.group(1));
                check(differences, () -> s.cTypeName() + "." + member.name() + " type_id", member.declaredType().id(), Integer.parseInt(f.get("type_id")));
                check(differences, () -> s.cTypeName() + "." + member.name() + " bits_offset", member.bitOffset(), Long.parseLong(f.get("bits_offset")));
                check(differences, () -> s.cTypeName() + "." + member.name() + " bitfield_size", member.bitfieldSize(), Integer.parseInt(f.getOrDefault("bitfield_size", "0")));
            } else if (m.matches() && current instanceof BtfType.Enum e) {
                var value = e.values().get(memberIndex++);
                check(differences, () -> e.cTypeName() + " enumerator", value.name(), m.group(1));
                String printed = e.signed() ? Long.toString(value.value()) : Long.toUnsignedString(value.value());
                check(differences, () -> e.cTypeName() + "." + value.name(), printed, fields(m.group(2)).get("val").replaceFirst("U?LL$", ""));
            }
        }
        int types = compared;
        check(differences, () -> "type count", btf.types().size() - 1, types);
        assertThat(differences).as("differences from bpftool (first 50)").isEmpty();
        return compared;
    }

    private static void assertType(List<String> differences, BtfType type, String kind, String name, Map<String, String> f) {
        String where = "type [" + type.id() + "] " + type.kind();
        check(differences, () -> where + " kind", type.kind().name(), kind);
        check(differences, () -> where + " name", type.kind() == BtfKind.PTR || type.kind() == BtfKind.ARRAY ? "" : type.name(), name);
        if (f.containsKey("size")) {
            check(differences, () -> where + " size", type.byteSize(), Long.parseLong(f.get("size")));
        }
        if (f.containsKey("type_id")) {
            check(differences, () -> where + " type_id", referenced(type), Integer.parseInt(f.get("type_id")));
        }
        if (f.containsKey("ret_type_id")) {
            check(differences, () -> where + " ret_type_id", referenced(type), Integer.parseInt(f.get("ret_type_id")));
        }
        switch (type) {
            case BtfType.Int i -> {
                check(differences, () -> where + " nr_bits", i.bits(), Integer.parseInt(f.get("nr_bits")));
                check(differences, () -> where + " bits_offset", i.bitOffset(), Integer.parseInt(f.get("bits_offset")));
                check(differences, () -> where + " signed", i.signed(), f.get("encoding").equals("SIGNED"));
                check(differences, () -> where + " bool", i.isBool(), f.get("encoding").equals("BOOL"));
            }
            case BtfType.Array a ->
                    check(differences, () -> where + " nr_elems", a.length(), Long.parseLong(f.get("nr_elems")));
            case BtfStruct s -> check(differences, () -> where + " vlen", s.members().size(), Integer.parseInt(f.get("vlen")));
            case BtfType.Enum e -> {
                check(differences, () -> where + " vlen", e.values().size(), Integer.parseInt(f.get("vlen")));
                check(differences, () -> where + " encoding", e.signed(), f.get("encoding").equals("SIGNED"));
            }
            case BtfType.Other o when o.kind() == BtfKind.FWD ->
                    check(differences, () -> where + " fwd_kind", o.cTypeName().startsWith(f.get("fwd_kind") + " "), true);
            default -> {
            }
        }
    }

    private static void check(List<String> differences, Supplier<String> what, Object actual, Object expected) {
        // A plain list, not SoftAssertions: vmlinux has a million values to compare.
        if (!actual.equals(expected) && differences.size() < 50) {
            differences.add(what.get() + ": parsed " + actual + ", bpftool " + expected);
        }
    }

    private static int referenced(BtfType type) {
        return switch (type) {
            case BtfType.Pointer p -> p.target().id();
            case BtfType.Array a -> a.element().id();
            case BtfType.Typedef d -> d.target().id();
            case BtfType.Qualifier q -> q.target().id();
            case BtfType.Other o -> o.target().map(BtfType::id).orElse(-1);
            default -> -1;
        };
    }

    private static Map<String, String> fields(String rest) {
        Map<String, String> f = new HashMap<>();
        Matcher m = FIELD.matcher(rest);
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        return f;
    }
}
