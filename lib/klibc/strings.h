/* klibc declares strcasecmp() in <string.h> and has no <strings.h> (see compat.h). */
#include <string.h>
