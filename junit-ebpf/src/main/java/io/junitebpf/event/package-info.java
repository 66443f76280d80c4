/**
 * Typed events: BPF records decoded into Java records whose layout is checked against the object's BTF
 * ({@link io.junitebpf.event.RecordLayout}), collected from a ring or perf buffer into a live
 * {@link io.junitebpf.event.EventStream} that tests wait on. Usable without JUnit.
 */
package io.junitebpf.event;
