/* The program under test: greets three names, firing the USDT probe greeter:hello for each. */
#include <stdio.h>
#include <sys/sdt.h>

int main(void)
{
	const char *names[] = {"world", "kernel", "java"};

	for (int i = 0; i < 3; i++) {
		/*
		 * Print first: a BPF probe cannot fault in user memory, so the string must already be
		 * mapped when the probe reads it (bpf_probe_read_user_str of a page not touched yet
		 * reads nothing).
		 */
		printf("hello %s\n", names[i]);
		DTRACE_PROBE2(greeter, hello, names[i], -1 - i);
	}
	return 0;
}
