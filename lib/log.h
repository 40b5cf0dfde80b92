/* log.h — one-line messages for PID 1 and the command-line tools.
 *
 * Every message is "PREFIX: text". Tools write it to stderr. The init also writes it to /dev/kmsg,
 * so it is in the kernel log (dmesg, journald) with the right level. */
#ifndef EARLYROOT_LOG_H
#define EARLYROOT_LOG_H

enum { LOG_LEVEL_ERR = 3, LOG_LEVEL_WARN = 4, LOG_LEVEL_INFO = 6, LOG_LEVEL_DEBUG = 7 };

/* prefix: "earlyroot", "switch_root", ...; kmsg: also log to /dev/kmsg (the init). */
void log_setup(const char *prefix, int kmsg);
/* Messages above this level are dropped (quiet: LOG_LEVEL_ERR; rd.debug: LOG_LEVEL_DEBUG). */
void log_set_max_level(int level);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
