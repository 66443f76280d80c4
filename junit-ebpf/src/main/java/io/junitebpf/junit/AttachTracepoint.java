package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Attaches a program to a tracepoint before the test body runs, e.g. syscalls:sys_enter_execve. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(AttachTracepoint.List.class)
public @interface AttachTracepoint {

    /** The program's function name. */
    String program();

    /** The tracepoint as "category:name", e.g. "syscalls:sys_enter_execve". */
    String tracepoint();

    /** The object resource, when several are loaded. */
    String object() default "";

    /** Container of repeated {@link AttachTracepoint}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        AttachTracepoint[] value();
    }
}
