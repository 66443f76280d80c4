package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fills an injected {@link io.junitebpf.map.TypedMap} before the test sees it,
 * from a static no-argument method of the test class returning a
 * {@code java.util.Map} of the map's key and value types. Per-CPU maps get each
 * value on every CPU.
 *
 * <pre>{@code
 * static Map<FlowKey, FlowStats> dns() { return Map.of(FlowKey.udp(ADDR, 53), FlowStats.of(4, "dns")); }
 *
 * @Test
 * void counts(@Bpf("flows") @MapFixture("dns") TypedMap<FlowKey, FlowStats> flows) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface MapFixture {

    /** The name of the static method of the test class that returns the entries. */
    String value();
}
