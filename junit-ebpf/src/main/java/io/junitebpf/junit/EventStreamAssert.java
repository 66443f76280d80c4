package io.junitebpf.junit;

import io.junitebpf.event.EventStream;
import org.assertj.core.api.AbstractAssert;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Assertions on a live {@link EventStream}: each waits (Awaitility) up to the
 * timeout set with {@link #awaitAtMost} for the events to arrive, and fails
 * with the events it did see. Immutable: {@code awaitAtMost} returns a new assert.
 *
 * @param <T> the event record
 */
public final class EventStreamAssert<T> extends AbstractAssert<EventStreamAssert<T>, EventStream<T>> {

    /** The wait when none is set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final Duration timeout;

    EventStreamAssert(EventStream<T> actual, Duration timeout) {
        super(actual, EventStreamAssert.class);
        this.timeout = timeout;
    }

    /** The same assertions, waiting at most {@code timeout}. */
    public EventStreamAssert<T> awaitAtMost(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("awaitAtMost: negative timeout " + timeout);
        }
        return new EventStreamAssert<>(actual, timeout);
    }

    /** Waits until some event satisfies {@code requirements} (AssertJ assertions inside). */
    public EventStreamAssert<T> anySatisfy(Consumer<? super T> requirements) {
        isNotNull();
        actual.awaitFirst("satisfying the requirements", e -> satisfies(e, requirements), timeout);
        return this;
    }

    /** Waits until some event matches {@code predicate}, described as {@code what}. */
    public EventStreamAssert<T> anyMatch(String what, Predicate<? super T> predicate) {
        isNotNull();
        actual.awaitFirst(what, predicate, timeout);
        return this;
    }

    /** Waits until at least {@code count} events arrived. */
    public EventStreamAssert<T> hasAtLeast(int count) {
        isNotNull();
        actual.awaitCount(count, timeout);
        return this;
    }

    /**
     * Waits until at least {@code count} events arrived, then checks that the
     * first {@code count} all satisfy {@code requirements}.
     */
    public EventStreamAssert<T> firstSatisfy(int count, Consumer<? super T> requirements) {
        isNotNull();
        List<T> first = actual.awaitCount(count, timeout);
        for (int i = 0; i < first.size(); i++) {
            try {
                requirements.accept(first.get(i));
            } catch (AssertionError e) {
                failWithMessage("Expecting event #%d of %s to satisfy the requirements, but:%n%s%n%s", i,
                        actual.description(), e.getMessage(), actual.describeRecent());
            }
        }
        return this;
    }

    /** Checks that no event was lost (overflow, undecodable, or reported lost by the kernel side). */
    public EventStreamAssert<T> hasNoLostEvents() {
        isNotNull();
        if (actual.lost() != 0) {
            failWithMessage("Expecting no lost events in %s but %d were lost (overflowed %d, undecodable %d)%n%s",
                    actual.description(), actual.lost(), actual.overflowed(), actual.undecodable(),
                    actual.describeRecent());
        }
        return this;
    }

    /** Checks the events received so far, without waiting: none satisfies {@code requirements}. */
    public EventStreamAssert<T> noneSatisfySoFar(Consumer<? super T> requirements) {
        isNotNull();
        for (T event : actual.snapshot()) {
            if (satisfies(event, requirements)) {
                failWithMessage("Expecting no event of %s to satisfy the requirements, but this one did:%n  %s",
                        actual.description(), event);
            }
        }
        return this;
    }

    private static <T> boolean satisfies(T event, Consumer<? super T> requirements) {
        try {
            requirements.accept(event);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
