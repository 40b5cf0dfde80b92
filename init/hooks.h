/* hooks.h — the image's own programs, run before a stage. */
#ifndef EARLYROOT_HOOKS_H
#define EARLYROOT_HOOKS_H

#define HOOKS_DIR "/lib/earlyroot/hooks"

/* Run the executables in HOOKS_DIR/STAGE in name order. -1 (logged) if one fails. */
int run_hooks(const char *stage);

#endif
