package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attaches a program as a kprobe or kretprobe before the test body runs. A name
 * starting with "sys_" or given with {@link #syscall()} uses libbpf's ksyscall
 * attach, which finds the architecture's syscall entry. Needs CONFIG_KPROBES:
 * the test is skipped where the kernel has none.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(AttachKprobe.List.class)
public @interface AttachKprobe {

    /** The program's function name. */
    String program();

    /** The kernel function, or the syscall name when {@link #syscall()} is true. */
    String function();

    /** Treat {@link #function()} as a syscall name ("execve"). */
    boolean syscall() default false;

    /** Fire on return instead of entry. */
    boolean retprobe() default false;

    /** The object resource, when several are loaded. */
    String object() default "";

    /** Container of repeated {@link AttachKprobe}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        AttachKprobe[] value();
    }
}
