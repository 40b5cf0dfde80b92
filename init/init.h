/* init.h — PID 1 of the initramfs (init.c runs the stages). */
#ifndef EARLYROOT_INIT_H
#define EARLYROOT_INIT_H

int init_main(int argc, char **argv);

#endif
