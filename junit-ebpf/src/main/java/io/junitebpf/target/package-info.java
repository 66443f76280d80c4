/**
 * Target programs under test: C sources and their shared libraries built once by content
 * ({@link io.junitebpf.target.NativeBuild}), what to launch ({@link io.junitebpf.target.Target}) and the
 * plug-in point that makes it in code ({@link io.junitebpf.target.TargetFactory}; the reference target
 * {@link io.junitebpf.target.Umark} is one), launched processes with a start gate
 * ({@link io.junitebpf.target.TargetProcess}), and libraries found as a target loads them
 * ({@link io.junitebpf.target.SharedLibraries}). Usable without JUnit.
 */
package io.junitebpf.target;
