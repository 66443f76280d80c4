// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * verifier_reject: an object the kernel's verifier refuses, for
 * VerifierFailureTest. reads_without_null_check dereferences what
 * bpf_map_lookup_elem returned without checking it for NULL, which the
 * verifier reports as "invalid mem access 'map_value_or_null'". accepted is
 * fine on its own, so the test can load it alone by turning the others off.
 * reads_past_the_value indexes the 8-byte value with a random 0..3: the
 * verifier explains that in two lines ("invalid access to map value, ..."
 * then "R0 max value is outside of the allowed memory range"), and a complaint
 * must keep both.
 *
 * The map is a hash on purpose: recent kernels (6.18 here) know that an
 * array lookup with a constant, in-range key cannot return NULL and accept
 * the unchecked access.
 */
#include "junit_ebpf_core.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int accepted(void *ctx)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&counts, &zero);

	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int reads_without_null_check(void *ctx)
{
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&counts, &zero);

	/* No NULL check: the verifier must refuse this. */
	__sync_fetch_and_add(count, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int reads_past_the_value(void *ctx)
{
	__u32 zero = 0, i = bpf_get_prandom_u32() & 3;
	__u64 *count = bpf_map_lookup_elem(&counts, &zero);

	if (!count)
		return 0;
	/* Only count[0] exists: the verifier must refuse i in 1..3. */
	return count[i];
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
