package io.junitebpf.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test only on kernels at least this version, e.g. {@code @RequiresKernel("5.15")}.
 * Prefer {@link RequiresFeature}: features are probed, versions are only a proxy.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(EnvironmentExtension.class)
public @interface RequiresKernel {

    /** The minimum kernel version, "major.minor" or "major.minor.patch". */
    String value();
}
