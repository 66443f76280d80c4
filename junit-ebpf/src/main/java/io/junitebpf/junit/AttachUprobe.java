package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attaches a program as a uprobe or uretprobe before the test body runs. The
 * function is located by symbol, or — with {@link #byOffset()} — by the file
 * offset junit-ebpf computes from the ELF (the seed's get_elf_func_offset).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(AttachUprobe.List.class)
public @interface AttachUprobe {

    /** The program's function name. */
    String program();

    /** The probed function's symbol. */
    String function();

    /** Fire on return instead of entry. */
    boolean retprobe() default false;

    /** Attach by explicit file offset computed in Java instead of letting libbpf resolve the symbol. */
    boolean byOffset() default false;

    /** "umark" (the launched reference target) or a binary's absolute path. */
    String target() default "umark";

    /** The object resource, when several are loaded. */
    String object() default "";

    /** Container of repeated {@link AttachUprobe}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        AttachUprobe[] value();
    }
}
