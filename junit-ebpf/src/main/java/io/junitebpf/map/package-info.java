/**
 * Typed views of BPF maps and global variables: Java records and boxed scalars checked against the
 * object's BTF ({@link io.junitebpf.map.TypedMap}, {@link io.junitebpf.map.TypedGlobal},
 * {@link io.junitebpf.map.TypedSection}). Usable without JUnit.
 */
package io.junitebpf.map;
