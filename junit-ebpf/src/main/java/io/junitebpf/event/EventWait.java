package io.junitebpf.event;

/**
 * One wait's logic on an {@link EventStream}: fed only the events of its view it
 * has not seen, in arrival order; each method returns the wait's result once it
 * succeeded, else null. The stream's wait loop calls them.
 */
abstract class EventWait<T, R> {

    /** A new event of the view. */
    abstract R examine(T event);

    /** When to wake without news (System.nanoTime): the timeout, or earlier (a quiet period). */
    long wakeAt(long timeoutAt) {
        return timeoutAt;
    }

    /** After each wake, once the batch was examined. */
    R atWake(long now) {
        return null;
    }

    /** The producers ended and their records were read: nothing more will come. */
    R atEnd() {
        return null;
    }

    /** The timeout passed. */
    R atTimeout() {
        return null;
    }

    /** What the wait saw, for its failure message. */
    String progress() {
        return "";
    }
}
