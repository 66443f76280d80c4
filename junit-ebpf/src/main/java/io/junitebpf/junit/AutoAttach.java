package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attaches a program where its {@code SEC()} says ({@code bpf_program__attach}).
 * A uprobe or USDT section naming a binary without a directory
 * ({@code SEC("uprobe/umark:func_uprobe2")}) finds the umark junit-ebpf built.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(AutoAttach.List.class)
public @interface AutoAttach {

    /** The program's function name. */
    String program();

    /** The object resource, when several are loaded. */
    String object() default "";

    /** Container of repeated {@link AutoAttach}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        AutoAttach[] value();
    }
}
