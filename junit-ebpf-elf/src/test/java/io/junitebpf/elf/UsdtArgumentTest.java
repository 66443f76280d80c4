package io.junitebpf.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.junitebpf.elf.UsdtArgument.Kind;
import org.junit.jupiter.api.Test;

/** The x86-64 operand forms <sys/sdt.h> writes into notes. */
class UsdtArgumentTest {

    @Test
    void signedConstant() {
        assertThat(UsdtArgument.parseAll("-4@$10"))
                .containsExactly(new UsdtArgument(4, true, Kind.CONST, "", 10));
    }

    @Test
    void negativeAndHexConstants() {
        assertThat(UsdtArgument.parseAll("8@$-1 2@$0x1f"))
                .containsExactly(new UsdtArgument(8, false, Kind.CONST, "", -1),
                        new UsdtArgument(2, false, Kind.CONST, "", 31));
    }

    @Test
    void register() {
        assertThat(UsdtArgument.parseAll("8@%rax -4@%r12d"))
                .containsExactly(new UsdtArgument(8, false, Kind.REG, "rax", 0),
                        new UsdtArgument(4, true, Kind.REG, "r12d", 0));
    }

    @Test
    void registerDereference() {
        assertThat(UsdtArgument.parseAll("-4@-20(%rbp)  8@8(%rsp) 1@(%rdi)"))
                .containsExactly(new UsdtArgument(4, true, Kind.REG_DEREF, "rbp", -20),
                        new UsdtArgument(8, false, Kind.REG_DEREF, "rsp", 8),
                        new UsdtArgument(1, false, Kind.REG_DEREF, "rdi", 0));
    }

    @Test
    void emptySpecHasNoArguments() {
        assertThat(UsdtArgument.parseAll("")).isEmpty();
        assertThat(UsdtArgument.parseAll("  ")).isEmpty();
    }

    @Test
    void unsupportedFormsSayWhy() {
        assertThatThrownBy(() -> UsdtArgument.parseAll("8@%rax 8@[sp, 16]"))
                .isInstanceOf(ElfException.class)
                .hasMessageStartingWith("parse USDT argument '8@[sp,' of '8@%rax 8@[sp, 16]': "
                        + "unsupported form (");
        assertThatThrownBy(() -> UsdtArgument.parseAll("3@%rax"))
                .hasMessageContaining("size 3 is not 1, 2, 4 or 8");
        assertThatThrownBy(() -> UsdtArgument.parseAll("8@8(%rax,%rbx,2)"))
                .hasMessageContaining("index registers are not supported");
        assertThatThrownBy(() -> UsdtArgument.parseAll("%rax"))
                .hasMessageContaining("expected SIZE@OPERAND");
    }

    @Test
    void probeNamesItselfWhenItsSpecDoesNotParse() {
        UsdtProbe probe = new UsdtProbe("p", "n", 1, 0, 0, "8@foo(%rip)", 1, 0);
        assertThatThrownBy(probe::arguments)
                .hasMessageStartingWith("USDT probe p:n: parse USDT argument '8@foo(%rip)'");
    }
}
