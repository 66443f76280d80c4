/*
 * greeter: calls libgreet.so's greet() with $GREET_VALUE (default 1), argv[1] times
 * (default 5), 20 ms apart; prints the sum so a test can see the environment arrived.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

long greet(long value);

int main(int argc, char **argv)
{
	const char *env = getenv("GREET_VALUE");
	long value = env ? atol(env) : 1;
	long count = argc > 1 ? atol(argv[1]) : 5;
	long sum = 0;
	struct timespec pause = { 0, 20 * 1000 * 1000 };

	for (long i = 0; i < count; i++) {
		sum += greet(value);
		nanosleep(&pause, NULL);
	}
	printf("greeter value %ld sum %ld\n", value, sum);
	return 0;
}
