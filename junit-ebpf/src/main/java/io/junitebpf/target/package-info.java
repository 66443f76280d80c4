/**
 * Target programs under test: C sources built once by content ({@link io.junitebpf.target.NativeBuild}), the
 * reference target {@link io.junitebpf.target.Umark}, and launched processes with a start gate
 * ({@link io.junitebpf.target.TargetProcess}). Usable without JUnit.
 */
package io.junitebpf.target;
