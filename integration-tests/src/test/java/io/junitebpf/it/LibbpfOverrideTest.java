package io.junitebpf.it;

import io.junitebpf.bpf.BpfObject;
import io.junitebpf.bpf.Libbpf;
import io.junitebpf.bpf.LibbpfUnavailableException;
import io.junitebpf.bpf.LibbpfVersion;
import io.junitebpf.bpf.LoadedObject;
import io.junitebpf.bpf.internal.LibbpfApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The libbpf override (issue 3): {@code -Djunit.ebpf.libbpf.path} or {@code JUNIT_EBPF_LIBBPF_PATH}
 * picks the libbpf, and the whole path runs on it.
 *
 * <p>With {@value #EXPECT_VERSION_PROPERTY} set (scripts/test-libbpf-versions sets it to 1.4 along
 * with the path of a libbpf from scripts/fetch-libbpf) the loaded library must be that version from
 * that path; without it, the system's {@code libbpf.so.1}, which must be 1.0 or newer.
 */
class LibbpfOverrideTest {

    /** The libbpf version the run expects, e.g. "1.4"; unset means the system libbpf. */
    static final String EXPECT_VERSION_PROPERTY = "junit.ebpf.expect.libbpf.version";

    /** A libbpf 1.3 call (LIBBPF_1.3.0 in libbpf.map): in 1.3.0 and 1.4.6, not in Debian 12's 1.1.2. */
    private static final String SYMBOL_SINCE_1_3 = "bpf_program__attach_uprobe_multi";
    private static final LibbpfVersion V1_3 = new LibbpfVersion(1, 3);

    @Test
    void theConfiguredLibbpfIsTheOneLoaded() throws IOException {
        Libbpf libbpf = Libbpf.system();
        String expected = System.getProperty(EXPECT_VERSION_PROPERTY);
        System.out.println("libbpf under test: " + libbpf + " (" + EXPECT_VERSION_PROPERTY + "="
                + expected + ", mapped: " + mappedLibbpfFiles() + ")");

        assertThat(libbpf.location()).isEqualTo(Libbpf.configuredLocation());
        if (expected != null && !expected.isBlank()) {
            assertThat(Libbpf.configuredLocation())
                    .as("%s=%s needs %s or %s to point at that libbpf", EXPECT_VERSION_PROPERTY, expected,
                            Libbpf.LIBRARY_PATH_PROPERTY, Libbpf.LIBRARY_PATH_ENV)
                    .isNotEqualTo(Libbpf.DEFAULT_SONAME);
            assertThat(libbpf.version()).isEqualTo(LibbpfVersion.parse(expected));
            Path configured = Path.of(Libbpf.configuredLocation());
            assertThat(configured).isRegularFile();
            // The dynamic linker really mapped that file, and no other libbpf, into this JVM.
            assertThat(mappedLibbpfFiles()).containsExactly(configured.toRealPath().toString());
        } else {
            assertThat(libbpf.location()).isEqualTo(Libbpf.DEFAULT_SONAME);
            assertThat(libbpf.version().atLeast(new LibbpfVersion(1, 0)))
                    .as("system libbpf %s is at least 1.0", libbpf.version())
                    .isTrue();
            assertThat(mappedLibbpfFiles()).hasSize(1);
        }
        // libbpf reports major.minor only; the file name of the mapped library carries the same numbers.
        assertThat(Path.of(mappedLibbpfFiles().iterator().next()).getFileName().toString())
                .startsWith("libbpf.so." + libbpf.version() + ".");
    }

    @Test
    void aUsdtProbeOfUmarkIsLoadedAttachedAndReadThroughTheConfiguredLibbpf() throws IOException {
        WalkingSkeletonTest.assertProbe1ReportsTen(" via " + Libbpf.system());
        // Everything above went through one libbpf: the configured one.
        String configured = Libbpf.configuredLocation();
        if (configured.contains("/")) {
            assertThat(mappedLibbpfFiles()).containsExactly(Path.of(configured).toRealPath().toString());
        } else {
            assertThat(mappedLibbpfFiles()).hasSize(1);
        }
    }

    @Test
    void symbolsAreReportedAsTheLoadedVersionHasThem() {
        Libbpf libbpf = Libbpf.system();
        assertThat(libbpf.hasSymbol("libbpf_major_version")).isTrue();
        assertThat(libbpf.hasSymbol("bpf_program__attach_usdt")).isTrue();
        assertThat(libbpf.hasSymbol("bpf_program__attach_no_such_thing")).isFalse();
        assertThat(libbpf.hasSymbol(SYMBOL_SINCE_1_3))
                .as("%s exports %s (libbpf 1.3+)", libbpf, SYMBOL_SINCE_1_3)
                .isEqualTo(libbpf.version().atLeast(V1_3));
    }

    /**
     * The call path every binding method takes: a downcall handle made on first use. For a symbol
     * newer than the loaded library it fails that one call with an exception that names the symbol,
     * the loaded version and the version needed, and the library stays usable.
     */
    @Test
    void aCallNewerThanTheLoadedLibbpfFailsAloneWithTheVersionItNeeds() {
        Libbpf libbpf = Libbpf.system();
        LibbpfApi api = LibbpfApi.open(libbpf.location());
        // struct bpf_link *bpf_program__attach_uprobe_multi(const struct bpf_program *, pid_t,
        //         const char *binary_path, const char *func_pattern, const struct bpf_uprobe_multi_opts *)
        FunctionDescriptor uprobeMulti = FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);

        if (libbpf.version().atLeast(V1_3)) {
            MethodHandle handle = api.library().function(SYMBOL_SINCE_1_3, uprobeMulti, "1.3");
            assertThat(handle.type().parameterCount()).isEqualTo(5);
        } else {
            assertThatThrownBy(() -> api.library().function(SYMBOL_SINCE_1_3, uprobeMulti, "1.3"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(SYMBOL_SINCE_1_3)
                    .hasMessageContaining(libbpf.location())
                    .hasMessageContaining("libbpf " + libbpf.version())
                    .hasMessageContaining("needs libbpf 1.3 or newer")
                    .hasMessageContaining(Libbpf.LIBRARY_PATH_PROPERTY);
        }
        // Only that call failed: the same library still opens, loads and closes an object.
        assertThat(api.major()).isEqualTo(libbpf.version().major());
        assertThat(api.minor()).isEqualTo(libbpf.version().minor());
        try (LoadedObject bpf = BpfObject.openResource("bpf/usdt.bpf.o").load()) {
            assertThat(bpf.program("func_usdt1")).isNotNull();
        }
    }

    @Test
    void aFileNamedLikeLibbpfThatIsNotASharedObjectIsRefusedWithItsPath(@TempDir Path dir) throws IOException {
        Path fake = Files.writeString(dir.resolve("libbpf.so.1"), "not an ELF shared object\n");
        assertThatThrownBy(() -> Libbpf.open(fake.toString()))
                .isInstanceOf(LibbpfUnavailableException.class)
                .hasMessageContaining(fake.toString())
                .hasMessageContaining(Libbpf.LIBRARY_PATH_PROPERTY);
    }

    @Test
    void aSharedObjectGivenByPathThatIsNotLibbpfIsRefused() {
        Path libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        assertThat(libjava).isRegularFile();
        assertThatThrownBy(() -> Libbpf.open(libjava.toString()))
                .isInstanceOf(LibbpfUnavailableException.class)
                .hasMessageContaining(libjava.toString())
                .hasMessageContaining("not libbpf");
    }

    /** Real paths of the libbpf shared objects the dynamic linker has mapped into this process. */
    private static Set<String> mappedLibbpfFiles() throws IOException {
        Set<String> files = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String file = line.substring(slash);
            if (Path.of(file).getFileName().toString().startsWith("libbpf.so")) {
                files.add(file);
            }
        }
        return files;
    }
}
