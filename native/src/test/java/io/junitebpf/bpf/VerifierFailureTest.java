package io.junitebpf.bpf;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A program the kernel's verifier refuses (verifier_reject.bpf.c reads a map
 * value without the NULL check): load() throws a VerifierException that names
 * the program, summarises the verifier's reason and keeps its whole log, and
 * leaves nothing loaded behind.
 */
class VerifierFailureTest {

    private static final String RESOURCE = "bpf-test/verifier_reject.bpf.o";
    private static final String REJECTED = "reads_without_null_check";
    private static final String REASON = "R0 invalid mem access 'map_value_or_null'";
    private static final String PAST_THE_VALUE = "reads_past_the_value";

    @Test
    void loadThrowsAVerifierExceptionNamingTheProgramAndTheReason() {
        VerifierException e;
        try (BpfObject spec = BpfObject.open(bytes(), RESOURCE)) {
            e = catchThrowableOfType(VerifierException.class, spec::load);
        }
        assertThat(e).as("load() of " + RESOURCE).isNotNull();
        assertThat(e.program()).isEqualTo(REJECTED);
        assertThat(e.errno()).isEqualTo(Errno.EACCES);
        assertThat(e.operation()).contains(RESOURCE);
        assertThat(e.verifierLog()).isNotEmpty().anySatisfy(line -> assertThat(line).contains(REASON));
        assertThat(e.getMessage()).contains("verifier rejected program '" + REJECTED + "'").contains(REASON);
        assertThat(e.log()).as("libbpf's log around the verifier's").isNotEmpty();
    }

    @Test
    void theFailureNamesTheInstructionAndTheSourceLine() {
        VerifierException e;
        try (BpfObject spec = BpfObject.open(bytes(), RESOURCE)) {
            e = catchThrowableOfType(VerifierException.class, spec::load);
        }
        assertThat(e.complaint()).isEqualTo(REASON);
        assertThat(e.instruction()).hasValueSatisfying(i -> assertThat(i).endsWith("lock *(u64 *)(r0 +0) += r1"));
        assertThat(e.instructionIndex()).isPositive();
        assertThat(e.sourceLine()).hasValueSatisfying(src -> {
            assertThat(src.file()).isEqualTo("verifier_reject.bpf.c");
            assertThat(src.line()).isEqualTo(45);
            assertThat(src.code()).isEqualTo("__sync_fetch_and_add(count, 1);");
        });
        assertThat(e.getMessage()).contains(REASON + " at instruction " + e.instructionIndex())
                .contains("source verifier_reject.bpf.c:45: __sync_fetch_and_add(count, 1);");
        assertThat(e.stats()).hasValueSatisfying(s -> assertThat(s.processedInstructions()).isPositive());
    }

    @Test
    void aComplaintOverSeveralLinesKeepsThemAll() {
        VerifierException e;
        try (BpfObject spec = BpfObject.open(bytes(), RESOURCE)) {
            spec.program(REJECTED).autoload(false);
            e = catchThrowableOfType(VerifierException.class, spec::load);
        }
        assertThat(e).as("load() of " + PAST_THE_VALUE).isNotNull();
        assertThat(e.program()).isEqualTo(PAST_THE_VALUE);
        // the first line is the reason, the second the verifier's view of the register: a user needs both
        assertThat(e.complaint()).startsWith("invalid access to map value, value_size=8")
                .contains("; R0 ").contains("outside of the allowed memory range");
        assertThat(e.instruction()).hasValueSatisfying(i -> assertThat(i).contains("*(u64 *)(r0 +0)"));
        assertThat(e.sourceLine()).hasValueSatisfying(src -> assertThat(src.code()).isEqualTo("return count[i];"));
        assertThat(e.getMessage()).contains(e.complaint() + " at instruction " + e.instructionIndex());
    }

    @Test
    void withLogStatsTheProgramsLoadedBeforeTheRejectedOneDoNotMixIntoItsLog() {
        VerifierException e;
        try (BpfObject spec = BpfObject.open(Libbpf.system(), bytes(),
                ObjectOptions.DEFAULTS.withKernelLogLevel(ObjectOptions.LOG_STATS), RESOURCE)) {
            e = catchThrowableOfType(VerifierException.class, spec::load);
        }
        assertThat(e).isNotNull();
        assertThat(e.program()).isEqualTo(REJECTED);
        assertThat(e.verifierLog()).anySatisfy(line -> assertThat(line).contains(REASON))
                .filteredOn(line -> line.startsWith("processed ")).hasSize(1);
    }

    @Test
    void aHigherKernelLogLevelKeepsTheReason() {
        VerifierException e;
        try (BpfObject spec = BpfObject.open(Libbpf.system(), bytes(),
                ObjectOptions.DEFAULTS.withKernelLogLevel(2), RESOURCE)) {
            e = catchThrowableOfType(VerifierException.class, spec::load);
        }
        assertThat(e).isNotNull();
        assertThat(e.program()).isEqualTo(REJECTED);
        assertThat(e.verifierLog()).anySatisfy(line -> assertThat(line).contains(REASON));
    }

    @Test
    void aFailedLoadLeavesNoProgramOrMapInTheKernel() {
        Set<Integer> programsBefore = new HashSet<>(KernelObjects.programIds());
        Set<Integer> mapsBefore = new HashSet<>(KernelObjects.mapIds());
        BpfObject spec = BpfObject.open(bytes(), RESOURCE);
        assertThat(catchThrowableOfType(VerifierException.class, spec::load)).isNotNull();
        spec.close(); // the failed load closed it already: harmless

        // Other processes may load programs meanwhile: only ours must not be there. The kernel frees
        // a program's maps after an RCU grace period, so the map may outlive the failed load briefly.
        await().alias("programs and maps of the failed load gone").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                    List<String> ourPrograms = newNames(KernelObjects.programIds(), programsBefore,
                            id -> KernelObjects.program(id).map(KernelObjects.ProgramInfo::name));
                    List<String> ourMaps = newNames(KernelObjects.mapIds(), mapsBefore,
                            id -> KernelObjects.map(id).map(KernelObjects.MapInfo::name));
                    assertThat(ourPrograms).as("new programs named like ours (accepted loads before the"
                            + " rejected one)").noneMatch(n -> n.equals("accepted")
                            || !n.isEmpty() && REJECTED.startsWith(n));
                    assertThat(ourMaps).as("new maps named like ours").doesNotContain("counts");
                });
    }

    @Test
    void withTheRejectedProgramOffTheRestLoads() {
        try (BpfObject spec = BpfObject.open(bytes(), RESOURCE)) {
            spec.program(REJECTED).autoload(false);
            spec.program(PAST_THE_VALUE).autoload(false);
            try (LoadedObject bpf = spec.load()) {
                assertThat(bpf.program("accepted").loaded()).isTrue();
                assertThat(bpf.program(REJECTED).loaded()).isFalse();
                assertThat(bpf.program(REJECTED).id()).isEqualTo(-1);
            }
        }
    }

    private static List<String> newNames(List<Integer> ids, Set<Integer> before,
                                         java.util.function.IntFunction<Optional<String>> name) {
        return ids.stream().filter(id -> !before.contains(id)).map(name::apply).flatMap(Optional::stream).toList();
    }

    private static byte[] bytes() {
        try (InputStream in = VerifierFailureTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing: run mvn process-test-resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
