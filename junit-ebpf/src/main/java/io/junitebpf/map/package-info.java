/**
 * Typed views of BPF maps, global variables and test-run contexts: Java records and boxed scalars
 * checked against BTF ({@link io.junitebpf.map.TypedMap}, {@link io.junitebpf.map.TypedGlobal},
 * {@link io.junitebpf.map.TypedSection}; {@link io.junitebpf.map.TypedContext} against the kernel's
 * context struct). Usable without JUnit.
 */
package io.junitebpf.map;
