package io.junitebpf.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one configuration reader, and native's keys read through it. */
class ConfigurationTest {

    private static Configuration of(Map<String, String> first, Map<String, String> environment) {
        return Configuration.of(first::get, environment::get);
    }

    @Test
    void aKeyIsReadFromTheFirstSourceThenFromItsEnvironmentVariable() {
        Configuration config = of(Map.of("junit.ebpf.a", " x "), Map.of("JUNIT_EBPF_A", "y", "JUNIT_EBPF_B_C_D", "z"));

        assertThat(config.string("junit.ebpf.a")).contains("x");
        assertThat(config.string("junit.ebpf.b.c-d")).contains("z");
        assertThat(config.string("junit.ebpf.none")).isEmpty();
        assertThat(Configuration.environmentName(Libbpf.LIBRARY_PATH_PROPERTY)).isEqualTo(Libbpf.LIBRARY_PATH_ENV);
    }

    @Test
    void valuesOfEachKind() {
        Configuration config = of(Map.of("junit.ebpf.on", "yes", "junit.ebpf.wait", "500ms", "junit.ebpf.n", "3",
                "junit.ebpf.level", "log-stats"), Map.of("JUNIT_EBPF_BARE", "2"));

        assertThat(config.bool("junit.ebpf.on", false)).isTrue();
        assertThat(config.duration("junit.ebpf.wait", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(config.duration("junit.ebpf.bare", Duration.ZERO)).as("a bare number is seconds")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(config.positiveInt("junit.ebpf.n", 1)).isEqualTo(3);
        assertThat(config.choice("junit.ebpf.level", Level.class, Level.NONE)).isEqualTo(Level.LOG_STATS);
        assertThat(Configuration.value(Level.LOG_STATS)).isEqualTo("log-stats");
    }

    @Test
    void aBadValueNamesWhereItCameFromAndWhatWasExpected() {
        Configuration config = of(Map.of("junit.ebpf.on", "maybe"), Map.of("JUNIT_EBPF_WAIT", "soon"));

        assertThatThrownBy(() -> config.bool("junit.ebpf.on", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("junit-ebpf configuration: junit.ebpf.on='maybe' is invalid (expected true or false)");
        assertThatThrownBy(() -> config.duration("junit.ebpf.wait", Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("junit-ebpf configuration: JUNIT_EBPF_WAIT (junit.ebpf.wait)='soon' is invalid")
                .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo("junit.ebpf.wait"));
        assertThatThrownBy(() -> of(Map.of("junit.ebpf.level", "loud"), Map.of())
                .choice("junit.ebpf.level", Level.class, Level.NONE))
                .hasMessage("junit-ebpf configuration: junit.ebpf.level='loud' is invalid (expected one of none, log-stats)");
    }

    @Test
    void aBadLibbpfDebugValueFailsTheOpenThatReadsIt() {
        String before = System.getProperty(Libbpf.DEBUG_LOG_PROPERTY);
        System.setProperty(Libbpf.DEBUG_LOG_PROPERTY, "sometimes");
        try {
            // a location no other test opens: libbpf is opened (and the key read) once per location
            assertThatThrownBy(() -> Libbpf.open("/nonexistent/ConfigurationTest/libbpf.so.1"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("junit-ebpf configuration: junit.ebpf.libbpf.debug='sometimes' is invalid"
                            + " (expected true or false)");
        } finally {
            if (before == null) {
                System.clearProperty(Libbpf.DEBUG_LOG_PROPERTY);
            } else {
                System.setProperty(Libbpf.DEBUG_LOG_PROPERTY, before);
            }
        }
    }

    private enum Level { NONE, LOG_STATS }
}
