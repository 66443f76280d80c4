package io.junitebpf.junit;

import io.junitebpf.event.EventStream;
import org.assertj.core.api.AbstractAssert;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Assertions on a live {@link EventStream}: each waits up to the timeout set
 * with {@link #awaitAtMost} for the events to arrive — woken by their arrival,
 * stopped early when the targets ended and nothing more can come — and fails
 * saying what it waited for and showing the events it did see. Immutable: {@code awaitAtMost} returns a new assert.
 *
 * @param <T> the event record
 */
public final class EventStreamAssert<T> extends AbstractAssert<EventStreamAssert<T>, EventStream<T>> {

    /** The wait when none is set. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** How long {@link #hasExactly(int)} waits for one more event while a target still runs. */
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(500);

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

    /**
     * Waits until some event satisfies {@code requirements} (AssertJ assertions inside). A
     * failure quotes the requirements' own error (expected vs actual) for the last event examined.
     */
    public EventStreamAssert<T> anySatisfy(Consumer<? super T> requirements) {
        isNotNull();
        actual.awaitFirstSatisfying("satisfying the requirements", requirements, timeout);
        return this;
    }

    /**
     * Waits until at least one event arrived, then checks that every event received so far
     * satisfies {@code requirements}; a failure names the first that does not, with the
     * requirements' own error. Follow {@link #hasExactly} or {@link #hasAtLeast} to say how many.
     */
    public EventStreamAssert<T> allSatisfy(Consumer<? super T> requirements) {
        isNotNull();
        actual.awaitCount(1, timeout);
        List<T> seen = actual.snapshot();
        for (int i = 0; i < seen.size(); i++) {
            try {
                requirements.accept(seen.get(i));
            } catch (AssertionError e) {
                failWithMessage("Expecting every event of %s to satisfy the requirements, but event #%d of %d did "
                        + "not:%n  %s%nIts error:%n  %s%n%s", actual.description(), i, seen.size(), seen.get(i),
                        String.valueOf(e.getMessage()).strip().replace("\n", "\n  "), actual.describeRecent());
            }
        }
        return this;
    }

    /**
     * Waits until exactly {@code count} events arrived and no more arrive until the targets
     * exited (or {@link #DEFAULT_QUIET_PERIOD} passed after the last): no sleep needed to be sure
     * nothing more comes. Fails at once when one more arrives.
     */
    public EventStreamAssert<T> hasExactly(int count) {
        return hasExactly(count, DEFAULT_QUIET_PERIOD);
    }

    /** As {@link #hasExactly(int)}, with the quiet period that ends the wait when targets still run. */
    public EventStreamAssert<T> hasExactly(int count, Duration quiet) {
        isNotNull();
        actual.awaitExactly(count, quiet, timeout);
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
