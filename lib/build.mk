# lib/: small code shared by init and switchroot (logging, kernel interfaces the libc may lack).
LIB_SRCS := lib/log.c lib/fsutil.c
