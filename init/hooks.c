/* hooks.c — the image's own programs, run before a stage: how an image adds cryptsetup, lvm, mdadm
 * or anything else without a change to the init. */
#include "hooks.h"
#include "child.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int not_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int run_one(const char *path, const char *stage)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		setenv("EARLYROOT_STAGE", stage, 1);
		execl(path, path, stage, (char *)NULL);
		_exit(127);
	}
	if (pid < 0) {
		log_error("cannot start hook %s: %m", path);
		return -1;
	}
	if ((status = wait_child(pid)) < 0) {
		log_error("cannot wait for hook %s: %m", path);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		log_error("hook %s was killed by signal %d", path, WTERMSIG(status));
	else
		log_error("hook %s failed with status %d%s", path, WEXITSTATUS(status),
			  WEXITSTATUS(status) == 127 ? " (could not be run)" : "");
	return -1;
}

int run_hooks(const char *stage)
{
	char dir[PATH_MAX], path[PATH_MAX + 256];
	struct dirent **names;
	int n, ret = 0;

	snprintf(dir, sizeof dir, "%s/%s", HOOKS_DIR, stage);
	n = scandir(dir, &names, not_dot, alphasort); /* name order: 10-x before 50-y */
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (ret == 0 && access(path, X_OK) < 0) {
			log_warn("hook %s is not executable: skipped", path);
		} else if (ret == 0) {
			log_debug("running hook %s", path);
			ret = run_one(path, stage);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}
