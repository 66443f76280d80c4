package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attaches a program to a USDT probe before the test body runs
 * ({@code bpf_program__attach_usdt}). {@link #binary()} says where the probe
 * lives, {@link #process()} which process it is limited to: a probe in a shared
 * library of a launched target is {@code binary = "libjvm.so", process = "jvm"}.
 * Without either, a launched umark is probed, as the deprecated {@link #target()} says.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(AttachUsdt.List.class)
public @interface AttachUsdt {

    /** The program's function name. */
    String program();

    /** The probe as "provider:name", e.g. "groupa:probe1". */
    String probe();

    /** {@link #process()} for every process. */
    String ALL_PROCESSES = "*";

    /**
     * Where the USDT probe lives: an executable or shared library by absolute path, a launched
     * target's name (its executable), or a shared library's file name as the {@link #process()}
     * loads it ({@code "libjvm.so"}, {@code "libgreet.so"}: from its {@code /proc/PID/maps},
     * else its DT_NEEDED libraries, else its installation root; see
     * {@code io.junitebpf.target.SharedLibraries}). Blank: the process's executable.
     */
    String binary() default "";

    /**
     * Which process: a launched target by its {@code @Launch} value, or {@link #ALL_PROCESSES}.
     * Blank: the launched target named by {@link #target()} (umark by default), else all processes.
     */
    String process() default "";

    /**
     * Both binary and process at once: "umark" (the launched reference target) or a binary's absolute path.
     *
     * @deprecated give {@link #binary()} and {@link #process()}; kept for existing tests
     */
    @Deprecated
    String target() default "umark";

    /** The object resource, when several are loaded. */
    String object() default "";

    /** Container of repeated {@link AttachUsdt}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        AttachUsdt[] value();
    }
}
