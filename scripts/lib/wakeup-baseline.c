// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The machine's own wake-up latency, the baseline of scripts/bench-waits: the same
 * two hops as an EventStream wait, with no Java and no BPF in between.
 *   producer  sleeps the interval, stamps CLOCK_MONOTONIC, writes an eventfd
 *             (what a BPF program's ring buffer submit does to the epoll waiter);
 *   reader    blocks in epoll_wait on the eventfd, reads it, stamps hop 1, then
 *             signals a condition variable (the EventStream's poller thread);
 *   waiter    blocks on the condition, stamps hop 2 (the thread in awaitFirst).
 * Whatever this shows is scheduling noise of the machine at that moment: the
 * library cannot beat it.
 *
 * usage: wakeup-baseline [events (1000)] [interval-ms (5)] [slice-us (0: the kernel's default)]
 * slice-us > 0 asks the scheduler for that slice (sched_attr.sched_runtime of a
 * SCHED_OTHER thread, Linux 6.12+) for the reader and the waiter, as the library does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct sched_attr_v1 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

static int events = 1000, interval_ms = 5, warmup = 50;
static long slice_us;
static int efd;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static long long stamped[2000000], hop1[2000000], hop2[2000000];
static long long published = -1; /* the last event the reader handed over */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void ask_slice(void)
{
	struct sched_attr_v1 attr;

	if (slice_us <= 0)
		return;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_runtime = slice_us * 1000ULL;
	if (syscall(SYS_sched_setattr, 0, &attr, 0))
		fprintf(stderr, "sched_setattr(slice %ld us): %s (kept the default)\n", slice_us, strerror(errno));
}

static void *producer(void *arg)
{
	struct timespec pause = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
	uint64_t one = 1;
	int i;

	(void)arg;
	for (i = 0; i < events + warmup; i++) {
		nanosleep(&pause, NULL);
		stamped[i] = now_ns();
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			abort();
	}
	return NULL;
}

static void *reader(void *arg)
{
	int ep = epoll_create1(0), i = 0;
	struct epoll_event ev = { .events = EPOLLIN }, got;
	uint64_t n;

	(void)arg;
	ask_slice();
	epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
	while (i < events + warmup) {
		if (epoll_wait(ep, &got, 1, 50) <= 0)
			continue;
		if (read(efd, &n, sizeof(n)) != sizeof(n))
			continue;
		/* several writes may have collapsed into one read: stamp all of them now */
		for (uint64_t k = 0; k < n && i < events + warmup; k++, i++)
			hop1[i] = now_ns();
		pthread_mutex_lock(&lock);
		published = i - 1;
		pthread_cond_broadcast(&changed);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void report(const char *what, long long *lat)
{
	qsort(lat, events, sizeof(long long), cmp);
	printf("  %-36s p50 %8.1f µs  p99 %8.1f µs  max %8.1f µs\n", what, lat[events / 2] / 1e3,
	       lat[(int)(events * 0.99) - (events >= 100 ? 1 : 0)] / 1e3, lat[events - 1] / 1e3);
}

int main(int argc, char **argv)
{
	pthread_t p, r;
	static long long total[2000000], first[2000000];
	int i;

	if (argc > 1)
		events = atoi(argv[1]);
	if (argc > 2)
		interval_ms = atoi(argv[2]);
	if (argc > 3)
		slice_us = atol(argv[3]);
	if (events <= 0 || events > 1000000 || interval_ms < 0) {
		fprintf(stderr, "usage: %s [events 1..1000000] [interval-ms >= 0] [slice-us]\n", argv[0]);
		return 2;
	}
	efd = eventfd(0, EFD_NONBLOCK);
	ask_slice(); /* this thread is the waiter */
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&p, NULL, producer, NULL);
	for (i = 0; i < events + warmup; i++) {
		pthread_mutex_lock(&lock);
		while (published < i)
			pthread_cond_wait(&changed, &lock);
		pthread_mutex_unlock(&lock);
		hop2[i] = now_ns();
	}
	pthread_join(p, NULL);
	pthread_join(r, NULL);
	for (i = 0; i < events; i++) {
		total[i] = hop2[i + warmup] - stamped[i + warmup];
		first[i] = hop1[i + warmup] - stamped[i + warmup];
	}
	printf("C wake-up baseline over %d events (one every %d ms, slice %s):\n", events, interval_ms,
	       slice_us > 0 ? "asked" : "default");
	report("stamp to waiter (two hops):", total);
	report("hop 1, stamp to epoll reader:", first);
	return 0;
}
