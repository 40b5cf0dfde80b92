/* musl-lite-clock.c — lib/musl/clock.c as lite_clock_gettime() for test-musl-lite.c.
 *
 * <time.h> comes first, without the rename: on 32-bit machines it binds clock_gettime to the symbol
 * __clock_gettime64 (musl 1.2's time64 redirection), which a -D rename would carry over to ours, the
 * same symbol as musl's own. Its system calls go through the test's clock_syscall(). */
#include <time.h>
#include <unistd.h>
#define clock_gettime lite_clock_gettime
#define syscall clock_syscall
long clock_syscall(long nr, ...);
#include "../musl/clock.c"
