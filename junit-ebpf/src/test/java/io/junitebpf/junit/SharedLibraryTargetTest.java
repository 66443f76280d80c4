package io.junitebpf.junit;

import io.junitebpf.event.EventStream;
import io.junitebpf.junit.SeedEvents.UprobeEvent;
import io.junitebpf.junit.SeedEvents.UsdtEvent;
import io.junitebpf.target.Target;
import io.junitebpf.target.TargetFactory;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.junitebpf.junit.EbpfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target with a shared library built from test resources, probed in that library by one
 * annotation each: the USDT probe (semaphore-guarded, so an event proves the semaphore was
 * raised) and the uprobe function; the environment reaches the target.
 */
@EbpfTest(objects = {"bpf/usdt.bpf.o", "bpf/uprobe.bpf.o"})
class SharedLibraryTargetTest {

    @Test
    @AttachUsdt(program = "func_usdt1", probe = "greetlib:greet", binary = "libgreet.so", process = "greeter")
    void usdtProbeWithSemaphoreInTheTargetsLibrary(
            @Launch(value = "greeter", source = "targets/greeter.c", libraries = "targets/greet.c",
                    env = "GREET_VALUE=42", args = "5", release = true) TargetProcess greeter,
            @Events(object = "bpf/usdt.bpf.o") EventStream<UsdtEvent> events) {
        assertThat(events.fromProcess(greeter.pid())).hasAtLeast(5);
        assertThat(events.fromProcess(greeter.pid()).snapshot()).allSatisfy(e -> assertThat(e.arg1()).isEqualTo(42));
        assertThat(greeter.waitFor(Duration.ofSeconds(10))).isTrue();
        assertThat(greeter.stdout()).containsExactly("greeter value 42 sum 215");
    }

    @Test
    @AttachUprobe(program = "func_uprobe1", function = "greet_add", binary = "libgreet.so", process = "greeter",
            object = "bpf/uprobe.bpf.o")
    void uprobeInTheTargetsLibrary(
            @Launch(value = "greeter", source = "targets/greeter.c", libraries = "targets/greet.c",
                    env = "GREET_VALUE=7", args = "3", release = true) TargetProcess greeter,
            @Events(object = "bpf/uprobe.bpf.o") EventStream<UprobeEvent> events) {
        assertThat(events.fromProcess(greeter.pid())).hasAtLeast(3);
        assertThat(events.fromProcess(greeter.pid()).snapshot()).allSatisfy(e -> assertThat(e.x()).isEqualTo(7));
    }

    @Test
    @AttachUprobe(program = "func_uprobe1", function = "main", binary = "greeter", process = AttachUprobe.ALL_PROCESSES,
            object = "bpf/uprobe.bpf.o")
    void aLaunchedTargetsExecutableProbedInEveryProcess(
            @Launch(value = "greeter", source = "targets/greeter.c", libraries = "targets/greet.c", args = {"1", "x"},
                    release = true) TargetProcess greeter,
            @Events(object = "bpf/uprobe.bpf.o") EventStream<UprobeEvent> events) {
        // not limited to the pid (other tests' greeters may fire too): the first argument of main is argc
        assertThat(events.fromProcess(greeter.pid())).anySatisfy(e -> assertThat(e.x()).isEqualTo(3));
    }

    @Test
    @AttachUsdt(program = "func_usdt1", probe = "greetlib:greet", binary = "libgreet.so", process = "made")
    void aFactoryMakesTheTargetInCode(@Launch(value = "made", factory = Greeter.class, args = "4", release = true)
                                      TargetProcess made,
                                      @Events(object = "bpf/usdt.bpf.o") EventStream<UsdtEvent> events) {
        assertThat(events.fromProcess(made.pid())).hasAtLeast(4);
        assertThat(events.fromProcess(made.pid()).snapshot()).allSatisfy(e -> assertThat(e.arg1()).isEqualTo(1234));
    }

    /** The greeter with a value computed at run time, as no annotation constant could give it. */
    public static final class Greeter implements TargetFactory {
        @Override
        public Target create(String name, List<String> arguments, Map<String, String> environment) {
            Path executable = io.junitebpf.target.NativeBuild.ofResource("greeter", "targets/greeter.c",
                    List.of("-O2", "-g")).withLibraryResource("targets/greet.c").executable();
            return Target.of(executable).withArguments(arguments)
                    .withEnvironment("GREET_VALUE", Integer.toString(1200 + 34));
        }
    }
}
