package io.junitebpf.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names what an injected parameter refers to: on a {@code Program} its function
 * name, on a {@code BpfMap} the map's name, on a {@code LoadedObject} the object's
 * resource. {@link #object()} picks the object when the test loads several.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Bpf {

    /** The program, map or object resource name. */
    String value() default "";

    /** The object resource, when the test class loads more than one. */
    String object() default "";
}
