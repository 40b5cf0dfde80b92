/* config.h — the syntax of a -c CONFIG file: "key = value" lines, '#' comments, blank lines. What the
 * keys mean is main.c's business (they are the long option names). */
#ifndef MKINITRAMFS_CONFIG_H
#define MKINITRAMFS_CONFIG_H

#include <stdbool.h>

/* Called for every key = value line, in order; where is "FILE:LINE" for messages. Returns -1 after
 * printing one error line, which stops the parse. */
typedef int (*config_apply)(void *ctx, const char *key, const char *value, const char *where);

int config_parse(const char *path, config_apply apply, void *ctx);

/* yes/no, true/false, on/off, 1/0 -> 0 and *v; -1 (after one error line naming where) otherwise. */
int config_bool(const char *value, const char *where, const char *key, bool *v);

#endif
