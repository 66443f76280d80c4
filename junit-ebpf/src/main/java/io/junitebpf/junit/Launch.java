package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a {@code TargetProcess}: launched before the test, held at its start
 * gate until the test (or the extension, after declared attachments, when
 * {@link #release()} is true) releases it, and killed after the test.
 *
 * <p>{@code "umark"} is the reference target, built from its packaged C source
 * (once per content) and gated on its own stdin. With {@link #source()} the
 * target is built from a C source on the classpath, named {@link #value()};
 * otherwise the value is the absolute path of an executable. Those two are
 * held stopped before exec.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Launch {

    /** "umark", or an executable's absolute path. */
    String value() default "umark";

    /** Arguments. For umark the default is a fast, bounded run: {@code --count 1000 --interval 20}. */
    String[] args() default {};

    /** A classpath resource with C source to build the target from (cached by content); compile errors fail the test in full. */
    String source() default "";

    /** Compiler flags for {@link #source()}. */
    String[] cflags() default {"-O2", "-g"};

    /** Release the target right after the declared attachments are made, before the test body runs. */
    boolean release() default false;
}
