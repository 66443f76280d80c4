package io.junitebpf.target;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Targets with shared libraries: built into the cache, found at run time from anywhere, resolved by name. */
class SharedLibrariesTest {

    private static final NativeBuild GREETER = NativeBuild.ofResource("greeter", "targets/greeter.c",
            List.of("-O2", "-g")).withLibraryResource("targets/greet.c");

    @Test
    void theBuiltLibraryIsFoundWhateverTheWorkingDirectory(@TempDir Path elsewhere) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(GREETER.executable().toString(), "2").directory(elsewhere.toFile())
                .redirectErrorStream(true);
        builder.environment().remove("LD_LIBRARY_PATH");
        builder.environment().put("GREET_VALUE", "3");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).isEqualTo("greeter value 3 sum 8\n");
        assertThat(GREETER.library("greet")).isEqualTo(GREETER.executable().resolveSibling("libgreet.so"))
                .isRegularFile();
    }

    /** Builds and runs the greeter in a JVM of its own, whose working directory the test chooses. */
    public static final class BuildAndRun {
        public static void main(String[] args) {
            NativeBuild build = NativeBuild.ofResource("greeter", "targets/greeter.c", List.of("-O2", "-g"))
                    .withLibraryResource("targets/greet.c");
            try (TargetProcess greeter = Target.of(build.executable()).withArguments(List.of("1"))
                    .withEnvironment("GREET_VALUE", "9").withGate(TargetProcess.Gate.NONE).launch()) {
                greeter.waitFor(Duration.ofSeconds(10));
                System.out.println(build.executable() + " " + greeter.stdout());
            }
        }
    }

    @Test
    void aJvmElsewhereWithARelativeCacheBuildsATargetThatRunsFromAnywhere(@TempDir Path cwd, @TempDir Path other)
            throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-D" + NativeBuild.CACHE_PROPERTY + "=relative-cache", BuildAndRun.class.getName())
                .directory(cwd.toFile()).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(jvm.waitFor()).as(output).isZero();
        assertThat(output).startsWith(cwd.resolve("relative-cache").toString()).endsWith("[greeter value 9 sum 10]");
        // the executable of that build, run from yet another directory, still finds its library
        Path built = Path.of(output.substring(0, output.indexOf(' ')));
        Process again = new ProcessBuilder(built.toString(), "1").directory(other.toFile()).start();
        assertThat(new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("greeter value 1 sum 2\n");
        assertThat(again.waitFor()).isZero();
    }

    @Test
    void theEnvironmentReachesALaunchedTarget() {
        Target target = Target.of(GREETER.executable()).withArguments(List.of("1"))
                .withEnvironment("GREET_VALUE", "-5").withGate(TargetProcess.Gate.NONE);
        try (TargetProcess greeter = target.launch()) {
            assertThat(greeter.waitFor(Duration.ofSeconds(10))).isTrue();
            assertThat(greeter.stdout()).containsExactly("greeter value -5 sum -4");
        }
    }

    @Test
    void aLibraryIsResolvedAsTheTargetLoadsIt(@TempDir Path dir) throws Exception {
        Path executable = GREETER.executable();
        assertThat(SharedLibraries.resolve("libgreet.so", executable, Map.of(), -1))
                .isEqualTo(GREETER.library("greet"));
        // LD_LIBRARY_PATH of the target's environment comes before the executable's RUNPATH, as for ld.so
        Path copy = Files.copy(GREETER.library("greet"), dir.resolve("libgreet.so"));
        assertThat(SharedLibraries.resolve("libgreet.so", executable, Map.of("LD_LIBRARY_PATH", dir.toString()), -1))
                .isEqualTo(copy);
        // transitively needed, through the ldconfig cache or the default directories
        assertThat(SharedLibraries.resolve("libc.so.6", executable, Map.of(), -1).getFileName())
                .hasToString("libc.so.6");
        // dlopen'ed by the java launcher: found under the JDK's installation root
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(SharedLibraries.resolve("libjvm.so", java, Map.of(), -1)).isRegularFile()
                .endsWith(Path.of("server", "libjvm.so"));
    }

    @Test
    void aRunningTargetsLibraryIsFoundInItsMaps() throws Exception {
        try (TargetProcess greeter = Target.of(GREETER.executable()).withArguments(List.of("500"))
                .withGate(TargetProcess.Gate.NONE).launch()) {
            Path exe = Path.of("/proc", Integer.toString(greeter.pid()), "exe");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Files.readSymbolicLink(exe).equals(GREETER.executable().toRealPath())
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(SharedLibraries.resolve("libgreet.so", GREETER.executable(), Map.of(), greeter.pid()))
                    .isEqualTo(GREETER.library("greet").toRealPath());
            assertThatThrownBy(() -> SharedLibraries.resolve("libnope.so", GREETER.executable(), Map.of(),
                    greeter.pid())).hasMessageContaining("looked in /proc/" + greeter.pid() + "/maps;");
        }
        try (TargetProcess gated = Target.of(GREETER.executable()).launch()) {
            // held before exec, the process is still its gate shell: its maps are not the target's
            assertThatThrownBy(() -> SharedLibraries.resolve("libnope.so", GREETER.executable(), Map.of(),
                    gated.pid())).hasMessageContaining("/proc/" + gated.pid() + "/maps (not yet exec'ed)");
        }
    }

    @Test
    void aMissingLibrarySaysWhereItLooked() {
        assertThatThrownBy(() -> SharedLibraries.resolve("libnope.so", GREETER.executable(), Map.of(), -1))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("resolve shared library libnope.so")
                .hasMessageContaining("DT_NEEDED libraries of " + GREETER.executable())
                .hasMessageContaining(GREETER.executable().getParent().toString())
                .hasMessageContaining("ldconfig cache")
                .hasMessageContaining("installation root");
        assertThatThrownBy(() -> SharedLibraries.resolve("lib/x.so", GREETER.executable(), Map.of(), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give a file name");
    }

    @Test
    void badTargetsAndLibrariesAreRefused() {
        assertThatThrownBy(() -> Target.of(Path.of("bin/greeter")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute path");
        assertThatThrownBy(() -> Target.parseEnvironment(List.of("=1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NAME=VALUE");
        assertThatThrownBy(() -> GREETER.withLibrary("../x", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid library name");
        assertThatThrownBy(() -> GREETER.withLibraryResource("targets/ghost.c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no classpath resource");
        assertThatThrownBy(() -> GREETER.library("nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("it has: [greet]");
    }
}
