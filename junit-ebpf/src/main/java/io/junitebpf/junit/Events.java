package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects an {@code EventStream<T>} reading a ring buffer map (or a perf event
 * array, for kernels before 5.8: its lost samples count in the stream's lost()), decoding each
 * record into the record type {@code T}, checked against the object's BTF
 * (the struct is named by {@code @CStruct} on {@code T}, or {@code T}'s name in snake case).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Events {

    /** The ring buffer (or perf event array) map's name. */
    String value() default "events";

    /** The object resource, when the test class loads more than one. */
    String object() default "";

    /** Events to keep before dropping the oldest; 0 means the configured default. */
    int capacity() default 0;
}
