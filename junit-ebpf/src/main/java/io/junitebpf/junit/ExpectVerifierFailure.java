package io.junitebpf.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that the verifier rejects a program: before the test runs, the
 * object is opened and loaded (only {@link #program()} when named), and the
 * test fails unless the verifier rejects it with a message matching
 * {@link #message()}. The failure shows the verifier's complaint, the
 * instruction and the C source line. The test may take the
 * {@link VerifierRejection} as a parameter to check more.
 *
 * <pre>{@code
 * @Test
 * @ExpectVerifierFailure(object = "bpf-test/rejected.bpf.o", program = "reads_past_value",
 *         message = "invalid access to map value")
 * void readingPastTheValueIsRefused(VerifierRejection rejection) {
 *     assertThat(rejection.sourceLine()).hasValueSatisfying(line -> assertThat(line).contains("value + 1"));
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ExtendWith(VerifierExpectation.class)
public @interface ExpectVerifierFailure {

    /** The object's classpath resource, e.g. "bpf-test/rejected.bpf.o". */
    String object();

    /** The program expected to be rejected; the others are not loaded. Empty: load the whole object. */
    String program() default "";

    /** A regular expression found in the verifier's complaint or log; empty: any rejection. */
    String message() default "";

    /** The most instructions the verifier may process before rejecting it; 0: no budget. */
    long maxProcessedInstructions() default 0;
}
