package com.example.greeter;

import com.example.bpf.GreeterBpf;
import com.example.bpf.GreeterBpf.HelloEvent;
import io.junitebpf.bpf.Program;
import io.junitebpf.bpf.Usdt;
import io.junitebpf.event.EventStream;
import io.junitebpf.junit.Bpf;
import io.junitebpf.junit.EbpfTest;
import io.junitebpf.junit.Events;
import io.junitebpf.junit.Launch;
import io.junitebpf.target.TargetProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

// guide:own-program
@EbpfTest(objects = GreeterBpf.OBJECT)          // "greeter.bpf.o", compiled by junit-ebpf-maven-plugin
class GreeterTest {

    @Test
    void helloProbeSeesEveryNameAndItsNegativeDelta(
            @Bpf("on_hello") Program onHello,
            @Launch(value = "greeter", source = "targets/greeter.c") TargetProcess greeter,
            @Events EventStream<HelloEvent> events) {       // HelloEvent: generated from the object's BTF
        onHello.attachUsdt(Usdt.of(greeter.executable(), "greeter", "hello").withPid(greeter.pid()));
        greeter.release();                                   // held before exec until the probe is attached

        HelloEvent last = events.awaitFirst("hello java", e -> e.name().equals("java"), Duration.ofSeconds(10));
        assertThat(last.delta()).isEqualTo(-3);
        assertThat(last.tgid()).isEqualTo(greeter.pid());
        assertThat(events.fromProcess(greeter.pid()).snapshot()).extracting(HelloEvent::name)
                .containsExactly("world", "kernel", "java");
    }
}
// end:own-program
