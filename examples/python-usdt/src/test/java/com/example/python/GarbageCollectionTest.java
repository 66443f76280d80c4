package com.example.python;

import com.example.bpf.CpythonBpf;
import com.example.bpf.CpythonBpf.GcEvent;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachUsdt;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.Target;
import io.junitebpf.target.TargetFactory;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

// guide:python-usdt
@EbpfTest(objects = CpythonBpf.OBJECT)
class GarbageCollectionTest {

    /** Makes 100 reference cycles of two objects each, with automatic collection off, then collects once. */
    private static final String SCRIPT = """
            import gc
            gc.disable()
            class Node:
                pass
            for _ in range(100):
                a, b = Node(), Node()
                a.other, b.other = b, a
            del a, b
            gc.collect(2)
            """;

    /** The system's CPython (Debian's is built with its USDT probes): its real path, where the probes live. */
    public static final class SystemPython implements TargetFactory {
        @Override
        public Target create(String name, List<String> arguments, Map<String, String> environment) {
            try {
                return Target.of(Path.of("/usr/bin/python3").toRealPath()).withArguments(arguments);
            } catch (IOException e) {
                throw new UncheckedIOException("no /usr/bin/python3 (apt-get install python3)", e);
            }
        }
    }

    @Test
    @AttachUsdt(program = "on_gc_start", probe = "python:gc__start", process = "python")
    @AttachUsdt(program = "on_gc_done", probe = "python:gc__done", process = "python")
    void aFullCollectionFindsTheCycles(
            @Launch(value = "python", factory = SystemPython.class, args = {"-c", SCRIPT}, release = true)
            TargetProcess python,
            @Events EventStream<GcEvent> collections) {
        // gc__start(2) then gc__done with what it freed: 200 Node objects at least
        GcEvent done = collections.fromProcess(python.pid()).awaitFirst("a collection that freed the cycles",
                e -> e.phase() == 1 && e.value() >= 200, Duration.ofSeconds(30));
        assertThat(done.tgid()).isEqualTo(python.pid());
        assertThat(python.waitFor(Duration.ofSeconds(30))).isTrue();
        assertThat(python.exitCode()).hasValue(0);
        // the collection that freed them is the generation-2 one the script asked for: its gc__start comes right
        // before (the interpreter's start-up may collect generation 0 before gc.disable())
        List<GcEvent> events = collections.fromProcess(python.pid()).snapshot();
        int at = events.indexOf(done);
        assertThat(at).as("gc__done's position in %s", events).isPositive();
        assertThat(events.get(at - 1)).as("the gc__start before it").satisfies(start -> {
            assertThat(start.phase()).as("phase").isZero();
            assertThat(start.value()).as("generation").isEqualTo(2);
        });
    }
}
// end:python-usdt
