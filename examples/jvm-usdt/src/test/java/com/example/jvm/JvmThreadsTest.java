package com.example.jvm;

import com.example.bpf.HotspotBpf;
import com.example.bpf.HotspotBpf.ThreadStart;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.AttachUsdt;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.Target;
import io.junitebpf.target.TargetFactory;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

// guide:jvm-usdt
@EbpfTest(objects = HotspotBpf.OBJECT)
class JvmThreadsTest {

    /** The JDK running this test: a path known only at run time, so a factory makes the target. */
    public static final class ThisJdk implements TargetFactory {
        @Override
        public Target create(String name, List<String> arguments, Map<String, String> environment) {
            return Target.of(Path.of(System.getProperty("java.home"), "bin", "java")).withArguments(arguments);
        }
    }

    @Test
    @AttachUsdt(program = "on_thread_start", probe = "hotspot:thread__start",
            binary = "libjvm.so",                  // where the probe lives: found under the JDK of "jvm"
            process = "jvm")                       // which process: only the launched JVM
    void aStartingJvmStartsItsReferenceHandler(
            @Launch(value = "jvm", factory = ThisJdk.class, args = "-version", release = true) TargetProcess jvm,
            @Events EventStream<ThreadStart> threads) {        // ThreadStart: generated from the object's BTF
        ThreadStart handler = threads.awaitFirst("Reference Handler started",
                t -> t.name().equals("Reference Handler"), Duration.ofSeconds(30));
        assertThat(handler.tgid()).isEqualTo(jvm.pid());
        assertThat(handler.daemon()).isEqualTo(1);
        assertThat(handler.tid()).isNotEqualTo(jvm.pid());            // a thread of its own
        assertThat(jvm.waitFor(Duration.ofSeconds(30))).isTrue();
        assertThat(threads.fromProcess(jvm.pid()).snapshot()).extracting(ThreadStart::name)
                .contains("Reference Handler", "Finalizer", "Signal Dispatcher");
    }
}
// end:jvm-usdt
