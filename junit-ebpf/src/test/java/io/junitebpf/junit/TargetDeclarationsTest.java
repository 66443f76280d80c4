package io.junitebpf.junit;

import io.junitebpf.target.Target;
import io.junitebpf.target.TargetFactory;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.FailurePathsTest.failures;
import static io.junitebpf.junit.FailurePathsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Wrong @Launch and attachment declarations fail naming the annotation, what is wrong and the fix. */
class TargetDeclarationsTest {

    @EbpfTest(objects = "bpf/usdt.bpf.o")
    static class BadTargetTestCases {
        @Test
        @AttachUsdt(program = "func_usdt1", probe = "greetlib:greet", binary = "libnope.so", process = "greeter")
        void missingLibrary(@Launch(value = "greeter", source = "targets/greeter.c", libraries = "targets/greet.c")
                            TargetProcess greeter) {
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "greetlib:gret", binary = "libgreet.so", process = "greeter")
        void unknownProbe(@Launch(value = "greeter", source = "targets/greeter.c", libraries = "targets/greet.c")
                          TargetProcess greeter) {
        }

        @Test
        @AttachUprobe(program = "func_usdt1", function = "greet_ad", binary = "libgreet.so", process = "greeter")
        void unknownFunction(@Launch(value = "greeter", source = "targets/greeter.c", libraries = "targets/greet.c")
                             TargetProcess greeter) {
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "greetlib:greet", binary = "libgreet.so", process = "greter")
        void processNotLaunched(@Launch(value = "greeter", source = "targets/greeter.c",
                libraries = "targets/greet.c") TargetProcess greeter) {
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "greetlib:greet", process = AttachUsdt.ALL_PROCESSES)
        void allProcessesWithoutBinary(@Launch TargetProcess umark) {
        }

        @Test
        @AttachUsdt(program = "func_usdt1", probe = "greetlib:greet", binary = "libgreet.so",
                process = AttachUsdt.ALL_PROCESSES)
        void libraryNameWithoutProcess() {
        }

        @Test
        void noPublicConstructor(@Launch(value = "x", factory = Hidden.class) TargetProcess target) {
        }

        @Test
        void factoryFails(@Launch(value = "x", factory = Failing.class) TargetProcess target) {
        }

        @Test
        void factoryReturnsNull(@Launch(value = "x", factory = Null.class) TargetProcess target) {
        }

        @Test
        void environmentWithoutValue(@Launch(env = "GREET_VALUE") TargetProcess umark) {
        }

        @Test
        void librariesWithoutSource(@Launch(libraries = "targets/greet.c") TargetProcess umark) {
        }
    }

    static final class Hidden implements TargetFactory {
        private Hidden() {
        }

        @Override
        public Target create(String name, List<String> arguments, Map<String, String> environment) {
            throw new AssertionError("never made");
        }
    }

    public static final class Failing implements TargetFactory {
        @Override
        public Target create(String name, List<String> arguments, Map<String, String> environment) {
            throw new IllegalStateException("no JDK at /nowhere");
        }
    }

    public static final class Null implements TargetFactory {
        @Override
        public Target create(String name, List<String> arguments, Map<String, String> environment) {
            return null;
        }
    }

    @Test
    void badTargetsAndAttachmentsFailNamingTheCause() {
        List<String> messages = failures(run(BadTargetTestCases.class, Map.of()));
        assertThat(messages).hasSize(11);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@AttachUsdt", "libnope.so", "not found",
                "looked in", "DT_NEEDED", "installation root"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("greetlib:gret", "libgreet.so",
                "it has: greetlib:greet"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@AttachUprobe", "greet_ad", "greet_add"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("process 'greter'", "launched: [greeter]"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("factory", "Hidden",
                "public no-argument constructor"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("factory", "Failing", "no JDK at /nowhere"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("factory", "Null", "returned null"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("@Launch(\"umark\")", "'GREET_VALUE'",
                "NAME=VALUE"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("libraries need a source()"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("process \"*\" needs a binary"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("'libgreet.so' is a library name",
                "name one with process", "absolute path"));
    }
}
