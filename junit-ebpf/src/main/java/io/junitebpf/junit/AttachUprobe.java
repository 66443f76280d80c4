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
 * {@link #binary()} says where the function lives, {@link #process()} which
 * process the probe is limited to, as for {@link AttachUsdt}.
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

    /** {@link #process()} for every process. */
    String ALL_PROCESSES = "*";

    /**
     * Where the function lives: an executable or shared library by absolute path, a launched
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

    /** Container of repeated {@link AttachUprobe}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {
        AttachUprobe[] value();
    }
}
