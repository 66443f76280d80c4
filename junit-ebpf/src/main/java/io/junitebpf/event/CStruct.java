package io.junitebpf.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the C struct a Java record decodes. Without it the record's simple
 * name in snake case is used: {@code UprobeEvent} decodes {@code struct uprobe_event}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CStruct {

    /** The struct's name in the object's BTF. */
    String value();
}
