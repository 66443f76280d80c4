package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Attaches a program to a USDT probe before the test body runs
 * ({@code bpf_program__attach_usdt}). With {@code target = "umark"} and a
 * launched umark, the attachment is limited to that process.
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

    /** "umark" (the launched reference target) or a binary's absolute path. */
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
