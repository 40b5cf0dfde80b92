/* clock.h — monotonic milliseconds since boot, for timeouts and rd.debug timings. */
#ifndef EARLYROOT_CLOCK_H
#define EARLYROOT_CLOCK_H

long long now_ms(void);

#endif
