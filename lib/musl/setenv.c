/* lib/musl/setenv.c — setenv() for the static musl init.
 *
 * musl's setenv comes with putenv, unsetenv and the bookkeeping that frees the strings it replaced
 * (1.1 KB). The init sets a handful of variables (the stage for a hook or the rescue shell, the boot
 * timings for the real init), each once or twice per process, so a replaced string is simply left
 * behind. Only the musl build links this file. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int setenv(const char *name, const char *value, int overwrite)
{
	size_t len = strlen(name), n = 0;

	if (!len || strchr(name, '=')) {
		errno = EINVAL;
		return -1;
	}
	for (; environ && environ[n]; n++)
		if (!strncmp(environ[n], name, len) && environ[n][len] == '=')
			break;
	if (environ && environ[n] && !overwrite)
		return 0;
	char *s = malloc(len + strlen(value) + 2);
	if (!s)
		return -1;
	memcpy(s, name, len);
	s[len] = '=';
	strcpy(s + len + 1, value);
	if (environ && environ[n]) {
		environ[n] = s;
		return 0;
	}
	/* A new variable: a new array (the first one is the kernel's, on the stack). */
	char **v = malloc((n + 2) * sizeof *v);
	if (!v) {
		free(s);
		return -1;
	}
	if (n)
		memcpy(v, environ, n * sizeof *v);
	v[n] = s;
	v[n + 1] = NULL;
	environ = v;
	return 0;
}
