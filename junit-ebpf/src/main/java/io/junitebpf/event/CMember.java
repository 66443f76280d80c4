package io.junitebpf.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the C struct member a record component decodes, when it differs from
 * the component's name and its snake-case form ({@code parentComm} already
 * matches {@code parent_comm}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface CMember {

    /** The member's name in the struct. */
    String value();
}
