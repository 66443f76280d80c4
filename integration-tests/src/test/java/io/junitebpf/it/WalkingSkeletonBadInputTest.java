package io.junitebpf.it;

import io.junitebpf.bpf.BpfException;
import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.Libbpf;
import io.junitebpf.bpf.LibbpfUnavailableException;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.target.TargetProcess;
import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input at the walking skeleton's level: each gets an error that says what was wrong. */
class WalkingSkeletonBadInputTest {

    @Test
    void missingLibbpfNamesThePathAndTheOverride() {
        assertThatThrownBy(() -> Libbpf.open("/nonexistent/libbpf.so.1"))
                .isInstanceOf(LibbpfUnavailableException.class)
                .hasMessageContaining("/nonexistent/libbpf.so.1")
                .hasMessageContaining(Libbpf.LIBRARY_PATH_PROPERTY);
    }

    @Test
    void aLibraryThatIsNotLibbpfIsRefused() {
        assertThatThrownBy(() -> Libbpf.open("libz.so.1"))
                .isInstanceOf(LibbpfUnavailableException.class)
                .hasMessageContaining("libz.so.1")
                .hasMessageContaining("not libbpf");
    }

    @Test
    void anObjectThatIsNotElfIsRefusedBeforeLibbpfSeesIt() {
        byte[] text = "int main() { return 0; }".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BpfObject.open(text, "main.c"))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("open object main.c: not an ELF file");
    }

    @Test
    void aTruncatedObjectIsRefusedBeforeLibbpfCanCrashOnIt() throws Exception {
        byte[] whole;
        try (var in = getClass().getClassLoader().getResourceAsStream("bpf/usdt.bpf.o")) {
            whole = in.readAllBytes();
        }
        byte[] head = java.util.Arrays.copyOf(whole, 256);
        assertThatThrownBy(() -> BpfObject.open(head, "usdt-truncated.bpf.o"))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("open object usdt-truncated.bpf.o: malformed ELF")
                .hasMessageContaining("truncated");
    }

    @Test
    void aUsdtProbeThatUmarkLacksIsNamedWithTheProbesItHas() {
        try (LoadedObject bpf = BpfObject.openResource("bpf/usdt.bpf.o").load();
             TargetProcess umark = Umark.launchGated(1, Duration.ZERO)) {
            Usdt missing = Usdt.of(umark.executable(), "groupa", "probe9").withPid(umark.pid());
            assertThatThrownBy(() -> bpf.program("func_usdt1").attachUsdt(missing))
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("groupa:probe9")
                    .hasMessageContaining("groupa:probe1")
                    .hasMessageContaining("groupb:probe2");
        }
    }

    @Test
    void aProgramThatTheObjectLacksIsNamedWithTheProgramsItHas() {
        try (LoadedObject bpf = BpfObject.openResource("bpf/usdt.bpf.o").load()) {
            assertThatThrownBy(() -> bpf.program("func_usdt3"))
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("func_usdt3")
                    .hasMessageContaining("func_usdt1, func_usdt2");
        }
    }
}
