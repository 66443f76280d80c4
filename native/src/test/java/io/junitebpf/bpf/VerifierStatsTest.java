package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Verifier statistics of loaded programs: from the kernel's bpf_prog_info
 * (always) and from the verifier log (with LOG_STATS), so a test can hold a
 * program to a budget.
 */
class VerifierStatsTest {

    private static final String TESTRUN = "bpf-test/testrun.bpf.o";

    @Test
    void logStatsGiveEachProgramsStatisticsAndTheyMatchTheKernelsCount() {
        try (LoadedObject bpf = BpfObject.open(Libbpf.system(), resource(TESTRUN),
                ObjectOptions.DEFAULTS.withKernelLogLevel(ObjectOptions.LOG_STATS), TESTRUN).load()) {
            for (String name : List.of("xdp_firewall", "tc_firewall", "raw_double")) {
                Program program = bpf.program(name);
                VerifierStats stats = program.verifierStats().orElseThrow(() -> new AssertionError(
                        name + ": no statistics in " + program.verifierLog()));
                assertThat(stats.processedInstructions()).as(name).isPositive()
                        .isEqualTo(program.verifiedInstructions().orElseThrow());
                assertThat(stats.instructionLimit()).isEqualTo(1_000_000);
                assertThat(stats.peakStates()).isLessThanOrEqualTo(stats.totalStates() + 1);
            }
            // a budget: the firewall's one branch costs few instructions, the checksum walk many more
            assertThat(bpf.program("xdp_firewall").verifierStats().orElseThrow().processedInstructions())
                    .isLessThan(200);
        }
    }

    @Test
    void withoutALogLevelOnlyTheKernelsCountIsThere() {
        try (LoadedObject bpf = BpfObject.openResource(TESTRUN).load()) {
            Program program = bpf.program("xdp_reflect");
            assertThat(program.verifierLog()).isEmpty();
            assertThat(program.verifierStats()).isEmpty();
            assertThat(program.verifiedInstructions().orElseThrow()).isPositive();
        }
    }

    @Test
    void aHarderProgramCostsTheVerifierMore() {
        try (LoadedObject firewall = BpfObject.openResource(TESTRUN).load();
             LoadedObject csum = BpfObject.openResource("bpf-test/csum_check.bpf.o").load()) {
            assertThat(csum.program("csum_check").verifiedInstructions().orElseThrow())
                    .isGreaterThan(firewall.program("xdp_firewall").verifiedInstructions().orElseThrow());
        }
    }

    @Test
    void aProgramNotLoadedHasNoStatistics() {
        try (BpfObject spec = BpfObject.openResource(TESTRUN)) {
            spec.program("xdp_grow").autoload(false);
            try (LoadedObject bpf = spec.load()) {
                assertThatThrownBy(() -> bpf.program("xdp_grow").verifiedInstructions())
                        .isInstanceOf(BpfException.class).hasMessageContaining("program 'xdp_grow'")
                        .hasMessageContaining("not loaded");
                assertThat(bpf.program("xdp_grow").verifierStats()).isEmpty();
            }
        }
    }

    @Test
    void statisticsParseFromTheVerifiersLastLine() {
        assertThat(VerifierStats.parse(List.of("0: (b7) r0 = 0", "processed 12 insns (limit 1000000)"
                + " max_states_per_insn 1 total_states 3 peak_states 2 mark_read 1")))
                .contains(new VerifierStats(12, 1_000_000, 1, 3, 2));
        assertThat(VerifierStats.parse(List.of("no statistics here"))).isEmpty();
    }

    private static byte[] resource(String name) {
        try (var in = VerifierStatsTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
