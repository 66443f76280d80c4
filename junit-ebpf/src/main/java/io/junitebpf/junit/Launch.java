package io.junitebpf.junit;

import io.junitebpf.target.TargetFactory;

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
 * <p>Where the target comes from, first match wins:
 * <ul>
 *   <li>{@link #factory()}: a {@link TargetFactory} makes it in code, under the name {@link #value()};</li>
 *   <li>{@link #source()}: built from a C source on the classpath (with the shared
 *       {@link #libraries()} it links against), named {@link #value()};</li>
 *   <li>{@code "umark"}: the reference target ({@code io.junitebpf.target.Umark}, itself a factory),
 *       gated on its own stdin;</li>
 *   <li>otherwise the value is the absolute path of an executable.</li>
 * </ul>
 * Targets other than umark are held stopped before exec. Attachments name the target by
 * {@link #value()} ({@code @AttachUsdt(process = ...)}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Launch {

    /** The target's name: "umark", an executable's absolute path, or the name of a built or factory-made target. */
    String value() default "umark";

    /** Arguments. For umark the default is a fast, bounded run: {@code --count 1000 --interval 20}. */
    String[] args() default {};

    /** A classpath resource with C source to build the target from (cached by content); compile errors fail the test in full. */
    String source() default "";

    /** Compiler flags for {@link #source()}. */
    String[] cflags() default {"-O2", "-g"};

    /**
     * Classpath resources with C sources of shared libraries the {@link #source()} links
     * against: {@code "targets/greet.c"} becomes {@code libgreet.so} ({@code -lgreet}), built
     * with the same {@link #cflags()} plus {@code -shared -fPIC}, cached next to the executable,
     * which finds it through an absolute RUNPATH wherever the JVM runs.
     */
    String[] libraries() default {};

    /** Environment variables as {@code NAME=VALUE}, on top of the JVM's environment. */
    String[] env() default {};

    /** A factory that makes the target in code (needs a public no-argument constructor). */
    Class<? extends TargetFactory> factory() default TargetFactory.class;

    /** Release the target right after the declared attachments are made, before the test body runs. */
    boolean release() default false;
}
