// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The wait benchmark's like-for-like baseline (scripts/bench-waits): the same BPF
 * object, program and probe as WaitLatencyBenchmark, read by C. A umark of its own
 * fires groupa:probe1 every interval; func_usdt1 stamps each event with
 * bpf_ktime_get_ns() and submits it to the ring buffer, which wakes this process
 * in ring_buffer__poll (epoll on the ring, through the kernel's irq_work); the
 * callback stamps CLOCK_MONOTONIC (the same clock) on arrival. So the figure is the
 * kernel's and the scheduler's part of an EventStream wait, with no JVM: what a
 * Java reader of the ring cannot beat on this machine at this moment.
 *
 * usage: ring-wakeup-baseline OBJECT UMARK [events (1000)] [interval-ms (5)]
 * Prints one line: "C ring consumer ...: p50 ... µs, p90 ..., p99 ..., max ...".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include "events.h"

#define WARMUP 50

static uint64_t *latencies;
static long wanted;
static long seen;
static pid_t umark_pid; /* killed by fail() once started */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int on_event(void *ctx, void *data, size_t size)
{
	uint64_t arrived = now_ns();
	const struct usdt_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	if (seen >= WARMUP && seen - WARMUP < wanted)
		latencies[seen - WARMUP] = arrived - e->task.timestamp_ns;
	seen++;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static double pct(int p)
{
	long i = (p * wanted + 99) / 100 - 1;

	return latencies[i < 0 ? 0 : i] / 1e3;
}

static void fail(const char *what)
{
	fprintf(stderr, "ring-wakeup-baseline: %s: %s\n", what, strerror(errno));
	if (umark_pid > 0)
		kill(umark_pid, SIGKILL);
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ring-wakeup-baseline OBJECT UMARK [events] [interval-ms]\n");
		return 2;
	}
	const char *object_path = argv[1], *umark = argv[2];
	wanted = argc > 3 ? atol(argv[3]) : 1000;
	const char *interval = argc > 4 ? argv[4] : "5";
	if (wanted <= 0) {
		fprintf(stderr, "ring-wakeup-baseline: events must be positive\n");
		return 2;
	}
	latencies = calloc(wanted, sizeof(*latencies));
	if (!latencies)
		fail("calloc");

	struct bpf_object *obj = bpf_object__open_file(object_path, NULL);
	if (!obj)
		fail("open the object");
	if (bpf_object__load(obj))
		fail("load the object");
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "func_usdt1");
	int map_fd = bpf_object__find_map_fd_by_name(obj, "events");
	if (!prog || map_fd < 0) {
		fprintf(stderr, "ring-wakeup-baseline: no func_usdt1 or events in %s\n", object_path);
		return 1;
	}

	/* umark waits for a line on stdin (--gate) until the probe is attached */
	int gate[2];
	if (pipe(gate))
		fail("pipe");
	char count[32];
	snprintf(count, sizeof(count), "%ld", wanted + WARMUP + 10);
	pid_t pid = fork();
	if (pid < 0)
		fail("fork");
	umark_pid = pid;
	if (pid == 0) {
		dup2(gate[0], STDIN_FILENO);
		close(gate[1]);
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(umark, umark, "--count", count, "--interval", interval, "--gate", (char *)NULL);
		_exit(127);
	}
	close(gate[0]);

	struct bpf_link *link = bpf_program__attach_usdt(prog, pid, umark, "groupa", "probe1", NULL);
	if (!link) {
		fail("attach func_usdt1 to groupa:probe1");
	}
	struct ring_buffer *rb = ring_buffer__new(map_fd, on_event, NULL, NULL);
	if (!rb) {
		fail("ring_buffer__new");
	}
	if (write(gate[1], "\n", 1) != 1) {
		fail("release umark");
	}
	while (seen < wanted + WARMUP) {
		int n = ring_buffer__poll(rb, 10000);
		if (n < 0 && n != -EINTR) {
			errno = -n;
			fail("ring_buffer__poll");
		}
		if (n == 0) {
			fprintf(stderr, "ring-wakeup-baseline: no event for 10 s (after %ld)\n", seen);
			kill(pid, SIGKILL);
			return 1;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ring_buffer__free(rb);
	bpf_link__destroy(link);
	bpf_object__close(obj);

	qsort(latencies, wanted, sizeof(*latencies), cmp_u64);
	printf("C ring consumer (same object and probe, libbpf ring_buffer__poll, one epoll wake-up) over %ld events:"
	       " p50 %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs\n",
	       wanted, pct(50), pct(90), pct(99), latencies[wanted - 1] / 1e3);
	return 0;
}
