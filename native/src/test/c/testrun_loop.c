// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The C side of scripts/bench-testrun: opens a BPF object, loads it, then for
 * every line read from stdin (a number of calls) calls bpf_prog_test_run_opts on
 * one program that often with repeat = 1, the same 64-byte packet and an output
 * buffer as large as the Java API passes (packet + 4096), and prints the thread
 * CPU time (user + system) of that batch in nanoseconds: on a shared machine,
 * wall time measures the neighbours too. Staying alive between batches lets the
 * benchmark interleave short C and Java batches, so a burst of load on the
 * machine hits both alike, and keeps process start and object load out of it.
 *
 * With "syscall" as a third argument it makes the call as the Java API does
 * where it can: syscall(SYS_bpf, BPF_PROG_TEST_RUN, ...) without libbpf's
 * wrapper, so the benchmark can show what that wrapper costs a C user too.
 * With "getppid" it makes the cheapest system call there is instead, so the
 * benchmark can tell what any system call costs from a JVM against from C.
 *
 * usage: testrun_loop OBJECT PROGRAM [syscall|getppid]  (then one count per line on stdin)
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stddef.h>

#ifndef offsetofend
#define offsetofend(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, args) : 0;
}

/* The packet TestRunBenchmark builds: Ethernet + IPv4 + UDP to port 53, padded to 64 bytes. */
static void packet(unsigned char *p)
{
	static const unsigned char head[] = {
		2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x9c, 0x40, 0, 53, 0, 30, 0, 0,
	};
	memset(p, 0, 64);
	memcpy(p, head, sizeof(head));
}

int main(int argc, char **argv)
{
	unsigned char in[64], out[64 + 4096];
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct timespec t0, t1;
	long calls, i;
	int fd, err;

	int raw, bare;

	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "syscall") && strcmp(argv[3], "getppid"))) {
		fprintf(stderr, "usage: %s OBJECT PROGRAM [syscall|getppid]  (then one count of calls per line on stdin)\n",
			argv[0]);
		return 2;
	}
	raw = argc == 4 && !strcmp(argv[3], "syscall");
	bare = argc == 4 && !strcmp(argv[3], "getppid");
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "open/load %s failed: %s\n", argv[1], strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, argv[2]);
	if (!prog) {
		fprintf(stderr, "no program %s in %s\n", argv[2], argv[1]);
		return 1;
	}
	fd = bpf_program__fd(prog);
	packet(in);
	while (scanf("%ld", &calls) == 1) {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		for (i = 0; bare && i < calls; i++)
			if (syscall(__NR_getppid) <= 0) {
				fprintf(stderr, "getppid failed\n");
				return 1;
			}
		for (i = 0; !bare && i < calls; i++) {
			unsigned int retval;

			if (raw) {
				union bpf_attr attr;

				memset(&attr, 0, offsetofend(union bpf_attr, test));
				attr.test.prog_fd = fd;
				attr.test.data_in = (unsigned long)in;
				attr.test.data_size_in = sizeof(in);
				attr.test.data_out = (unsigned long)out;
				attr.test.data_size_out = sizeof(out);
				attr.test.repeat = 1;
				do
					err = syscall(__NR_bpf, BPF_PROG_TEST_RUN, &attr,
						      offsetofend(union bpf_attr, test)) ? -errno : 0;
				while (err == -EINTR);
				retval = attr.test.retval;
			} else {
				LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = sizeof(in),
					    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
				do
					err = bpf_prog_test_run_opts(fd, &opts);
				while (err == -EINTR);
				retval = opts.retval;
			}
			if (err || retval != 2 /* XDP_PASS */) {
				fprintf(stderr, "test run failed: %d, retval %u\n", err, retval);
				return 1;
			}
		}
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		printf("%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
		fflush(stdout);
	}
	bpf_object__close(obj);
	return 0;
}
