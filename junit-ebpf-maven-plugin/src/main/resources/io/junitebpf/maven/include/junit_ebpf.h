/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * junit_ebpf.h: what a BPF program tested with junit-ebpf needs besides
 * libbpf's headers. Shipped by junit-ebpf-maven-plugin, which puts it on the
 * include path of every .bpf.c it compiles.
 *
 *   #include "junit_ebpf_core.h"      (or your own vmlinux.h)
 *   #include "junit_ebpf.h"
 *
 *   struct my_event { __u32 pid; char comm[16]; };
 *   JUNIT_EBPF_EVENT(struct my_event);      keeps the struct in BTF
 *   JUNIT_EBPF_RINGBUF(events, 256 * 1024); the ring buffer the test reads
 *
 *   struct my_event *e = JUNIT_EBPF_RESERVE(events, struct my_event);
 *   if (e) { ...; junit_ebpf_submit(e); }
 *
 * The plugin's generate-records goal writes a Java record for every struct
 * named with JUNIT_EBPF_EVENT (and for the key and value structs of maps).
 */
#ifndef JUNIT_EBPF_H
#define JUNIT_EBPF_H

#include <bpf/bpf_helpers.h>

#define JUNIT_EBPF_CAT_(a, b) a##b
#define JUNIT_EBPF_CAT(a, b) JUNIT_EBPF_CAT_(a, b)

/*
 * Keeps TYPE (a struct, or a typedef of one) in the object's BTF. clang emits
 * only types the program uses in a variable, map or signature, and a ring
 * buffer map has no value type, so an event struct written only through
 * bpf_ringbuf_reserve() would be missing: user space could neither check nor
 * generate its record. One unused pointer variable in .bss carries the type;
 * its name prefix is what generate-records looks for.
 */
#define JUNIT_EBPF_EVENT(TYPE)                                                 \
	TYPE *JUNIT_EBPF_CAT(__junit_ebpf_event_, __COUNTER__)                  \
		__attribute__((unused))

/* A ring buffer map named NAME of SIZE bytes (a power of two, a multiple of the page size). */
#define JUNIT_EBPF_RINGBUF(NAME, SIZE)                                         \
	struct {                                                               \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                             \
		__uint(max_entries, SIZE);                                      \
	} NAME SEC(".maps")

/* Reserves one TYPE in ring buffer MAP; NULL when the buffer is full. */
#define JUNIT_EBPF_RESERVE(MAP, TYPE) ((TYPE *)bpf_ringbuf_reserve(&(MAP), sizeof(TYPE), 0))

/* Publishes a record from JUNIT_EBPF_RESERVE to user space. */
#define junit_ebpf_submit(RECORD) bpf_ringbuf_submit((RECORD), 0)

/* Copies *VALUE into ring buffer MAP in one call (no reserve); 0 or a negative errno. */
#define junit_ebpf_output(MAP, VALUE) bpf_ringbuf_output(&(MAP), (VALUE), sizeof(*(VALUE)), 0)

/*
 * Copies a string literal into a char[] member without a helper call or a
 * .rodata string (immediate stores); fails to compile when it does not fit.
 */
#define JUNIT_EBPF_SET_STR(DST, LITERAL)                                       \
	do {                                                                   \
		_Static_assert(sizeof(LITERAL) <= sizeof(DST), "string too long"); \
		__builtin_memcpy((DST), (LITERAL), sizeof(LITERAL));            \
	} while (0)

#endif /* JUNIT_EBPF_H */
