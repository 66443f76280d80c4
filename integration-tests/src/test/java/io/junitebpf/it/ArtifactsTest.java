package io.junitebpf.it;

import io.junitebpf.target.Umark;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The two artifacts the project ships: the BPF objects inside a jar, and a umark with both USDT notes. */
class ArtifactsTest {

    @Test
    void theBpfObjectsTravelInsideTheBpfJar() {
        for (String object : new String[] {"trace_execve", "probe_execve", "uprobe", "usdt"}) {
            URL url = getClass().getClassLoader().getResource("bpf/" + object + ".bpf.o");
            assertThat(url).as("resource bpf/%s.bpf.o", object).isNotNull();
            assertThat(url.getProtocol()).as("%s comes from a jar", url).isEqualTo("jar");
            assertThat(url.getPath()).contains("junit-ebpf-bpf");
        }
    }

    @Test
    void theBuiltUmarkCarriesBothUsdtNotesAndBothFunctions() throws Exception {
        String notes = run("readelf", "-n", Umark.executable().toString());
        assertThat(notes).contains("Provider: groupa", "Name: probe1", "Provider: groupb", "Name: probe2");
        String symbols = run("nm", Umark.executable().toString());
        assertThat(symbols).containsPattern(" T func_uprobe1\\b").containsPattern(" T func_uprobe2\\b");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", String.join(" ", command), out).isZero();
        return out;
    }
}
