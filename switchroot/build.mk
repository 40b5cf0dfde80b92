# switchroot/: the hand-over library (used by init) and the switch_root/pivot_root commands.
SWITCHROOT_SRCS := switchroot/check.c switchroot/check_init.c switchroot/api_mounts.c \
                   switchroot/delete.c switchroot/switch.c switchroot/cli.c
