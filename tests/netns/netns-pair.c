/* Namespaces for the netns tier (see netns-pair.h). */
#include "netns-pair.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static char made[2][64];

int netns_sh(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void remove_made(void)
{
	char cmd[192];

	for (int i = 0; i < 2; i++) {
		if (!made[i][0])
			continue;
		snprintf(cmd, sizeof cmd, "ip netns del %s 2>/dev/null",
			 made[i]);
		netns_sh(cmd);
	}
}

void netns_pair_or_skip(const char *a, const char *b)
{
	char cmd[192];

	if (geteuid() != 0)
		test_skip_all("needs root for namespaces and XDP");
	snprintf(made[0], sizeof made[0], "%s", a);
	snprintf(made[1], sizeof made[1], "%s", b);
	remove_made();
	atexit(remove_made);
	snprintf(cmd, sizeof cmd, "ip netns add %s && ip netns add %s", a, b);
	if (netns_sh(cmd))
		test_skip_all("cannot create network namespaces");
}

void netns_enter_or_skip(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof path, "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		test_skip_all("cannot enter namespace %s: %s", name,
			      strerror(errno));
	close(fd);
}
