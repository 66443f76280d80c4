/*
 * libgreet.so: a shared library with a semaphore-guarded USDT probe (greetlib:greet)
 * and a plain function for uprobes (greet_add). The probe fires only while a tracer
 * holds the semaphore up, so seeing it proves the semaphore was handled.
 */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

__extension__ unsigned short greetlib_greet_semaphore
	__attribute__((unused)) __attribute__((section(".probes")));

__attribute__((noinline)) long greet_add(long x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

long greet(long value)
{
	if (greetlib_greet_semaphore)
		STAP_PROBE1(greetlib, greet, value);
	return greet_add(value);
}
