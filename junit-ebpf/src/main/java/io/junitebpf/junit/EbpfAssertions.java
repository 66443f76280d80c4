package io.junitebpf.junit;

import io.junitebpf.event.EventStream;

/** The entry point for junit-ebpf's assertions: {@code import static io.junitebpf.junit.EbpfAssertions.assertThat;}. */
public final class EbpfAssertions {

    private EbpfAssertions() {
    }

    /** Assertions that wait for events to arrive (default {@link EventStreamAssert#DEFAULT_TIMEOUT}). */
    public static <T> EventStreamAssert<T> assertThat(EventStream<T> stream) {
        return new EventStreamAssert<>(stream, EventStreamAssert.DEFAULT_TIMEOUT);
    }
}
