// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The C side of scripts/bench-testrun, a shared library the benchmark's JVM
 * loads and calls once per batch: testrun_batch runs a BPF program that often
 * with repeat = 1 on the same 64-byte packet and an output buffer as large as
 * the Java API passes (packet + 4096), and returns the thread CPU time (user +
 * system) of that batch in nanoseconds: on a shared machine, wall time measures
 * the neighbours too.
 *
 * In the JVM's own process rather than a process of its own: on this project's
 * VMs two processes running the same loop can differ by a third for their whole
 * lives (page tables the hypervisor shadows), which swamped the comparison; in
 * one process C and Java share that fate. The program is the JVM's too (its fd).
 *
 * Modes: 0 calls libbpf's bpf_prog_test_run_opts, as a C user would; 1 makes
 * the call as the Java API does, syscall(SYS_bpf, BPF_PROG_TEST_RUN, ...)
 * without libbpf's wrapper; 2 makes the cheapest system call there is,
 * getppid, so the benchmark can tell what any system call costs from Java.
 *
 * Returns the nanoseconds, or -1 with the failed call's errno (or 0 for a
 * wrong verdict) in *error.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif

#define XDP_PASS_VERDICT 2

/* The packet TestRunBenchmark builds: Ethernet + IPv4 + UDP to port 53, padded to 64 bytes. */
static const unsigned char head[] = {
	2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00,
	0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0, 53, 0, 30, 0, 0,
};

static unsigned char in[64], out[64 + 4096];

/* 0, an errno, or -1 for a verdict other than XDP_PASS. */
static int run_libbpf(int fd)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = sizeof(in),
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
	int err;

	do
		err = bpf_prog_test_run_opts(fd, &opts);
	while (err == -EINTR);
	return err ? -err : opts.retval == XDP_PASS_VERDICT ? 0 : -1;
}

static int run_syscall(int fd)
{
	union bpf_attr attr;
	int err;

	memset(&attr, 0, offsetofend(union bpf_attr, test));
	attr.test.prog_fd = fd;
	attr.test.data_in = (unsigned long)in;
	attr.test.data_size_in = sizeof(in);
	attr.test.data_out = (unsigned long)out;
	attr.test.data_size_out = sizeof(out);
	attr.test.repeat = 1;
	do
		err = syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr, offsetofend(union bpf_attr, test)) ? errno : 0;
	while (err == EINTR);
	return err ? err : attr.test.retval == XDP_PASS_VERDICT ? 0 : -1;
}

long long testrun_batch(int fd, long calls, int mode, int *error)
{
	struct timespec t0, t1;
	long i;
	int err = 0;

	memset(in, 0, sizeof(in));
	memcpy(in, head, sizeof(head));
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	for (i = 0; i < calls && !err; i++) {
		if (mode == 2)
			err = syscall(__NR_getppid) >= 0 ? 0 : errno;
		else
			err = mode == 1 ? run_syscall(fd) : run_libbpf(fd);
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	if (err) {
		*error = err < 0 ? 0 : err;
		return -1;
	}
	return (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
}
