// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * umark: the reference target of junit-ebpf (the seed article's umark.c).
 *
 * Two plain functions for uprobes and two USDT probes from <sys/sdt.h>. Each
 * iteration i = 0, 1, 2, ...: wait the interval, fire groupa:probe1(10) and
 * groupb:probe2(20, 30), then print
 *     hit uprobe1 <func_uprobe1(i)>
 *     hit uprobe2 <func_uprobe2(i + 3, i + 8)>
 *
 * Options (all optional; the defaults are the article's):
 *   -n, --count N        iterations (default 86400000)
 *   -i, --interval MS    milliseconds to wait before each iteration (default 1000)
 *   -g, --gate           print "umark ready <pid>" and wait for one line on
 *                        stdin before the first iteration, so that probes can be
 *                        attached first; end of input without a line exits 3
 *   -h, --help
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/sdt.h>

/*
 * The probed functions must stay real calls with their own symbols: no
 * inlining, no constant-propagated clones (gcc's noipa covers both).
 */
#if defined(__clang__)
#define PROBED __attribute__((noinline, used, visibility("default")))
#else
#define PROBED __attribute__((noipa, used, visibility("default")))
#endif

PROBED unsigned long long func_uprobe1(unsigned long long x)
{
	return x + 1;
}

PROBED unsigned long long func_uprobe2(unsigned long long x, unsigned long long y)
{
	return x + y;
}

static int parse_ull(const char *text, const char *option, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long value = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-') {
		fprintf(stderr, "umark: %s wants a non-negative integer, got '%s'\n", option, text);
		return -1;
	}
	*out = value;
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: umark [-n|--count N] [-i|--interval MS] [-g|--gate]\n");
}

static void sleep_ms(unsigned long long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	unsigned long long count = 86400000ULL;
	unsigned long long interval_ms = 1000;
	int gate = 0;
	static const struct option options[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ "gate", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "n:i:gh", options, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_ull(optarg, "--count", &count))
				return 2;
			break;
		case 'i':
			if (parse_ull(optarg, "--interval", &interval_ms))
				return 2;
			break;
		case 'g':
			gate = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "umark: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (gate) {
		printf("umark ready %d\n", (int)getpid());
		char line[64];
		if (!fgets(line, sizeof(line), stdin)) {
			fprintf(stderr, "umark: gate closed before release\n");
			return 3;
		}
	}

	for (unsigned long long i = 0; i < count; i++) {
		long var1 = 10;
		long var2 = 20;
		long var3 = 30;
		sleep_ms(interval_ms);
		DTRACE_PROBE1(groupa, probe1, var1);
		DTRACE_PROBE2(groupb, probe2, var2, var3);
		printf("hit uprobe1 %llu\n", func_uprobe1(i));
		printf("hit uprobe2 %llu\n", func_uprobe2(i + 3, i + 8));
	}
	return 0;
}
