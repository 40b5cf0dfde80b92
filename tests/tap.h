/* tap.h — a minimal TAP producer for C unit tests: CHECK(cond, fmt, ...) prints one ok/not ok line. */
#ifndef EARLYROOT_TAP_H
#define EARLYROOT_TAP_H
#include <stdio.h>

static int tap_count, tap_failed;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		int tap_c_ = !!(cond);                                                             \
		tap_count++;                                                                       \
		if (!tap_c_)                                                                       \
			tap_failed++;                                                              \
		printf("%sok %d - ", tap_c_ ? "" : "not ", tap_count);                             \
		printf(__VA_ARGS__);                                                               \
		printf("\n");                                                                      \
		if (!tap_c_)                                                                       \
			printf("#   failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);             \
	} while (0)

static inline int tap_finish(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}
#endif
