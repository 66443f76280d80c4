package io.junitebpf.junit;

import io.junitebpf.bpf.KernelFeature;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test only where the kernel has these features (probed, not guessed
 * from the version). A missing feature skips the test with the reason — unless
 * the kernel should have had it (version at or above the feature's minimum and
 * not compiled out), which fails the test instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(EnvironmentExtension.class)
public @interface RequiresFeature {

    /** The features the test needs. */
    KernelFeature[] value();
}
