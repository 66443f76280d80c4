package io.junitebpf.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One argument of a USDT probe, decoded from the assembler operand the compiler wrote into the
 * note ({@code -4@$10}, {@code 8@%rax}, {@code -4@-20(%rbp)}).
 *
 * @param size width of the value in bytes (1, 2, 4 or 8)
 * @param signed whether the value is sign-extended (the size was written negative)
 * @param kind where the value lives
 * @param register register name without {@code %} (e.g. {@code rax}, {@code r12d}); empty for
 *     {@link Kind#CONST}
 * @param offset the constant for {@link Kind#CONST}, the displacement for
 *     {@link Kind#REG_DEREF}, 0 for {@link Kind#REG}
 */
public record UsdtArgument(int size, boolean signed, Kind kind, String register, long offset) {

    /** Where an argument's value is found when the probe fires. */
    public enum Kind {
        /** An immediate: the value is {@link UsdtArgument#offset()}. */
        CONST,
        /** The value is in a register. */
        REG,
        /** The value is in memory at register + offset. */
        REG_DEREF
    }

    // Operand forms of the x86-64 AT&T syntax that <sys/sdt.h> emits; an index register or a
    // symbol (e.g. "foo(%rip)") is rejected rather than guessed, as libbpf does.
    private static final Pattern ARGUMENT = Pattern.compile("(-?)(\\d+)@(\\S+)");
    private static final Pattern CONSTANT = Pattern.compile("\\$(-?(?:0x[0-9a-fA-F]+|\\d+))");
    private static final Pattern REGISTER = Pattern.compile("%([a-z][a-z0-9]*)");
    private static final Pattern DEREF =
            Pattern.compile("(-?(?:0x[0-9a-fA-F]+|\\d+))?\\(%([a-z][a-z0-9]*)\\)");

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException for a size other than 1, 2, 4, 8
     */
    public UsdtArgument {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("USDT argument: size " + size
                    + " is not 1, 2, 4 or 8");
        }
        if (kind == null || register == null) {
            throw new IllegalArgumentException("USDT argument: kind and register must not be null");
        }
    }

    /**
     * Parses a whole argument specification as found in a {@code .note.stapsdt} note.
     *
     * @param spec space-separated arguments, e.g. {@code "-4@$10 8@%rax"}; empty for none
     * @return the arguments in order; empty for a blank spec
     * @throws ElfException if an argument is not in the x86-64 form
     */
    public static List<UsdtArgument> parseAll(String spec) {
        List<UsdtArgument> arguments = new ArrayList<>();
        for (String token : spec.trim().split("\\s+")) {
            if (!token.isEmpty()) {
                arguments.add(parseOne(token, spec));
            }
        }
        return List.copyOf(arguments);
    }

    private static UsdtArgument parseOne(String token, String spec) {
        Matcher argument = ARGUMENT.matcher(token);
        if (!argument.matches()) {
            throw unsupported(token, spec, "expected SIZE@OPERAND such as -4@$10");
        }
        boolean signed = !argument.group(1).isEmpty();
        int size;
        try {
            size = Integer.parseInt(argument.group(2));
        } catch (NumberFormatException e) {
            throw unsupported(token, spec, "size out of range");
        }
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw unsupported(token, spec, "size " + size + " is not 1, 2, 4 or 8");
        }
        String operand = argument.group(3);
        Matcher m;
        if ((m = CONSTANT.matcher(operand)).matches()) {
            return new UsdtArgument(size, signed, Kind.CONST, "", number(m.group(1), token, spec));
        }
        if ((m = REGISTER.matcher(operand)).matches()) {
            return new UsdtArgument(size, signed, Kind.REG, m.group(1), 0);
        }
        if ((m = DEREF.matcher(operand)).matches()) {
            long displacement = m.group(1) == null ? 0 : number(m.group(1), token, spec);
            return new UsdtArgument(size, signed, Kind.REG_DEREF, m.group(2), displacement);
        }
        throw unsupported(token, spec,
                "expected $IMM, %REG or OFF(%REG) in x86-64 syntax; other architectures and "
                        + "index registers are not supported");
    }

    private static long number(String text, String token, String spec) {
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        try {
            long value = digits.startsWith("0x")
                    ? Long.parseUnsignedLong(digits.substring(2), 16)
                    : Long.parseUnsignedLong(digits);
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            throw unsupported(token, spec, "number out of range");
        }
    }

    private static ElfException unsupported(String token, String spec, String hint) {
        return new ElfException("parse USDT argument '" + token + "' of '" + spec
                + "': unsupported form (" + hint + ")");
    }
}
