package io.junitebpf.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one configuration reader: keys, environment names, durations, enums, and what a bad value says. */
class EbpfConfigTest {

    private static final String KEY = "junit.ebpf.some-thing.timeout";

    private static EbpfConfig config(Map<String, String> properties, Map<String, String> environment) {
        return EbpfConfig.of(properties::get, environment::get);
    }

    private static Duration duration(String text) {
        return config(Map.of(KEY, text), Map.of()).duration(KEY, Duration.ZERO);
    }

    @Test
    void environmentNamesFollowOneRule() {
        assertThat(EbpfConfig.environmentName(KEY)).isEqualTo("JUNIT_EBPF_SOME_THING_TIMEOUT");
        assertThat(EbpfConfig.environmentName(EbpfConfig.STREAM_CAPACITY_PROPERTY_NAME))
                .isEqualTo("JUNIT_EBPF_STREAM_CAPACITY");
    }

    @Test
    void propertiesBeatTheEnvironmentAndBlankIsUnset() {
        assertThat(config(Map.of(KEY, "a"), Map.of("JUNIT_EBPF_SOME_THING_TIMEOUT", "b")).string(KEY)).contains("a");
        assertThat(config(Map.of(KEY, "  "), Map.of("JUNIT_EBPF_SOME_THING_TIMEOUT", " b ")).string(KEY)).contains("b");
        assertThat(config(Map.of(), Map.of()).string(KEY)).isEmpty();
    }

    @Test
    void durationsTakeAUnitAndABareNumberIsSeconds() {
        assertThat(duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(duration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(duration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(duration("PT10M")).isEqualTo(Duration.ofMinutes(10));
        assertThat(config(Map.of(), Map.of()).duration(KEY, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void aBadDurationNamesKeyValueAndTheRule() {
        for (String bad : new String[] {"soon", "0", "0s", "-1s", "5 minutes", "1d", "PT", "99999999999999999999h"}) {
            assertThatThrownBy(() -> duration(bad)).as(bad)
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessageContaining(KEY + "='" + bad + "'")
                    .hasMessageContaining("500ms").hasMessageContaining("a bare number is seconds");
        }
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariableAndTheKey() {
        EbpfConfig config = config(Map.of(), Map.of("JUNIT_EBPF_STRICT", "perhaps"));

        assertThatThrownBy(() -> config.bool(EbpfConfig.STRICT_PROPERTY_NAME, false))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("JUNIT_EBPF_STRICT (junit.ebpf.strict)='perhaps'")
                .hasMessageContaining("true or false");
    }

    @Test
    void enumsAreWrittenInLowerCaseWithDashes() {
        EbpfConfig config = config(Map.of(EbpfConfig.RUNTIME_PROPERTY_NAME, "never-container"), Map.of());

        assertThat(config.choice(EbpfConfig.RUNTIME_PROPERTY_NAME, EbpfTest.Runtime.class, EbpfTest.Runtime.AUTO))
                .isEqualTo(EbpfTest.Runtime.NEVER_CONTAINER);
        assertThat(EbpfConfig.value(EbpfTest.Runtime.IN_PROCESS)).isEqualTo("in-process");
        assertThatThrownBy(() -> config(Map.of(EbpfConfig.RUNTIME_PROPERTY_NAME, "vm"), Map.of())
                .choice(EbpfConfig.RUNTIME_PROPERTY_NAME, EbpfTest.Runtime.class, EbpfTest.Runtime.AUTO))
                .hasMessageContaining("junit.ebpf.runtime='vm'").hasMessageContaining("never-container");
    }

    @Test
    void positiveIntegersOnly() {
        String key = EbpfConfig.STREAM_CAPACITY_PROPERTY_NAME;
        assertThat(config(Map.of(key, "10"), Map.of()).positiveInt(key, 1)).isEqualTo(10);
        assertThatThrownBy(() -> config(Map.of(key, "0"), Map.of()).positiveInt(key, 1))
                .hasMessageContaining(key + "='0'").hasMessageContaining("a positive integer");
    }
}
