// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The C baseline of scripts/bench-ringbuf: the same ringbench.bpf.o and the same
 * fill-then-drain protocol as RingBufferBenchmark (Java), consumed two ways:
 *   libbpf  ring_buffer__consume() with a callback, as a libbpf user would;
 *   loop    a plain loop over the mmap'd ring, with libbpf's memory ordering
 *           (acquire loads of the producer position and each header, a release
 *           store of the consumer position after each record).
 * The handler adds up each record's value (offset 8), as the Java handler does.
 *
 * usage: ringbench-consumer OBJECT [records-per-run] [runs]
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RINGBENCH_MAGIC 0x4a454251
#define FILL_CHUNK 1000000
#define WARMUPS 5
#define BUSY_BIT (1U << 31)
#define DISCARD_BIT (1U << 30)
#define HDR_SZ 8

static unsigned long long sum;

static long long clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* this thread's CPU time: on a loaded machine it leaves out the time spent waiting for a core */
static long long cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static void fill(int count)
{
	/* the BPF program runs in sys_enter_ioctl; the call itself fails with EBADF */
	ioctl(-1, RINGBENCH_MAGIC, (unsigned long)count);
}

static int handle(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)size;
	sum += *(const uint64_t *)((const char *)data + 8);
	return 0;
}

struct mapped {
	unsigned long *consumer;
	const unsigned long *producer;
	const char *data;
	unsigned long mask;
};

static int drain_loop(struct mapped *m)
{
	unsigned long cons = __atomic_load_n(m->consumer, __ATOMIC_ACQUIRE);
	unsigned long prod;
	int count = 0;
	int progress;

	do {
		progress = 0;
		prod = __atomic_load_n(m->producer, __ATOMIC_ACQUIRE);
		while (cons < prod) {
			const uint32_t *hdr = (const uint32_t *)(m->data + (cons & m->mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & BUSY_BIT)
				return count;
			progress = 1;
			cons += (HDR_SZ + (len & ~(BUSY_BIT | DISCARD_BIT)) + 7) & ~7UL;
			if (!(len & DISCARD_BIT)) {
				handle(NULL, (void *)((const char *)hdr + HDR_SZ), len);
				count++;
			}
			__atomic_store_n(m->consumer, cons, __ATOMIC_RELEASE);
		}
	} while (progress);
	return count;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int records = argc > 2 ? atoi(argv[2]) : 2000000;
	int runs = argc > 3 ? atoi(argv[3]) : 9;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
	struct ring_buffer *rb;
	struct mapped m;
	double *rate_lib, *rate_loop, *cpu_lib, *cpu_loop;
	long page = sysconf(_SC_PAGESIZE);
	int fd, run, mode;
	unsigned int size;

	if (argc < 2 || records <= 0 || runs <= 0) {
		fprintf(stderr, "usage: %s OBJECT [records-per-run > 0] [runs > 0]\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || libbpf_get_error(obj)) {
		fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "load %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, "ringbench");
	link = prog ? bpf_program__attach(prog) : NULL;
	if (!link || libbpf_get_error(link)) {
		fprintf(stderr, "attach ringbench: %s (is tracefs mounted?)\n", strerror(errno));
		return 1;
	}
	fd = bpf_object__find_map_fd_by_name(obj, "bench_ring");
	size = bpf_map__max_entries(bpf_object__find_map_by_name(obj, "bench_ring"));
	rb = ring_buffer__new(fd, handle, NULL, NULL);
	m.consumer = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	m.producer = mmap(NULL, page + 2UL * size, PROT_READ, MAP_SHARED, fd, page);
	if (!rb || m.consumer == MAP_FAILED || m.producer == MAP_FAILED) {
		fprintf(stderr, "ring buffer bench_ring: %s\n", strerror(errno));
		return 1;
	}
	m.data = (const char *)m.producer + page;
	m.mask = size - 1;
	rate_lib = calloc(runs, sizeof(double));
	rate_loop = calloc(runs, sizeof(double));
	cpu_lib = calloc(runs, sizeof(double));
	cpu_loop = calloc(runs, sizeof(double));
	printf("C ring buffer drain: %d records of 32 bytes per run, %d runs after %d warm-ups\n", records, runs,
	       WARMUPS);
	for (run = -WARMUPS; run < runs; run++) {
		for (mode = 0; mode < 2; mode++) {
			/* alternate the order, as the Java benchmark does */
			int loop = (run & 1) ? !mode : mode;
			long long nanos = 0, cpu = 0;
			int done;

			for (done = 0; done < records;) {
				int chunk = records - done < FILL_CHUNK ? records - done : FILL_CHUNK;
				unsigned long long expected = 3ULL * chunk * (chunk - 1ULL) / 2;
				long long t0, c0;
				int got = 0, n;

				fill(chunk);
				sum = 0;
				c0 = cpu_ns();
				t0 = now_ns();
				while (got < chunk) {
					n = loop ? drain_loop(&m) : ring_buffer__consume(rb);
					if (n <= 0) {
						fprintf(stderr, "%s: ring ran dry after %d of %d records\n",
							loop ? "loop" : "libbpf", got, chunk);
						return 1;
					}
					got += n;
				}
				nanos += now_ns() - t0;
				cpu += cpu_ns() - c0;
				if (sum != expected) {
					fprintf(stderr, "record contents wrong (sum %llu != %llu)\n", sum, expected);
					return 1;
				}
				done += chunk;
			}
			if (run >= 0) {
				double rate = records * 1e9 / nanos, cpu_rate = records * 1e9 / cpu;

				(loop ? rate_loop : rate_lib)[run] = rate;
				(loop ? cpu_loop : cpu_lib)[run] = cpu_rate;
				printf("run %d %-15s %14.0f records/s %14.0f records/CPU-s\n", run, loop ? "C_LOOP" : "C_LIBBPF",
				       rate, cpu_rate);
			}
		}
	}
	qsort(rate_lib, runs, sizeof(double), cmp_double);
	qsort(rate_loop, runs, sizeof(double), cmp_double);
	printf("median C_LIBBPF %14.0f records/s\n", rate_lib[runs / 2]);
	printf("median C_LOOP   %14.0f records/s\n", rate_loop[runs / 2]);
	qsort(cpu_lib, runs, sizeof(double), cmp_double);
	qsort(cpu_loop, runs, sizeof(double), cmp_double);
	printf("cpu-median C_LIBBPF %14.0f records/CPU-s\n", cpu_lib[runs / 2]);
	printf("cpu-median C_LOOP   %14.0f records/CPU-s\n", cpu_loop[runs / 2]);
	ring_buffer__free(rb);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return 0;
}
