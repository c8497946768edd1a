/* Process plumbing of ovs-xdpd (see daemon.h). */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int ready_fd = -1;

int daemon_detach(void)
{
	int fds[2];
	pid_t pid;
	char status;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(fds[1]);
		/* EOF without a byte: the child died during start-up. */
		if (read(fds[0], &status, 1) != 1) {
			int ws = 0;

			waitpid(pid, &ws, 0);
			_exit(WIFEXITED(ws) && WEXITSTATUS(ws) ? WEXITSTATUS(ws)
							       : 1);
		}
		_exit((unsigned char)status);
	}
	close(fds[0]);
	ready_fd = fds[1];
	if (setsid() < 0)
		return -errno;
	if (chdir("/"))
		return -errno;
	return 0;
}

void daemon_ready(int status)
{
	char c = (char)status;
	int fd;

	if (ready_fd < 0)
		return;
	if (write(ready_fd, &c, 1) != 1) {
		/* The parent is gone; nothing to tell. */
	}
	close(ready_fd);
	ready_fd = -1;
	/* Detached daemons do not keep the terminal. */
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

static bool pid_alive(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");
	long pid;

	if (!f)
		return false;
	if (!fgets(buf, sizeof buf, f))
		buf[0] = '\0';
	fclose(f);
	pid = strtol(buf, NULL, 10);
	return pid > 0 && pid != getpid() && !kill((pid_t)pid, 0);
}

int daemon_pidfile(const char *path)
{
	char tmp[4096];
	FILE *f;

	if (pid_alive(path))
		return -EEXIST;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) || rename(tmp, path))
		return -errno;
	return 0;
}

void daemon_remove_pidfile(const char *path)
{
	if (path)
		unlink(path);
}
