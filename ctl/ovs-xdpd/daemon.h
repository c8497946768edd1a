/* Process plumbing of ovs-xdpd: --detach (the parent exits once the
 * daemon is ready, with the daemon's start-up status) and the pidfile. */
#ifndef OVSX_DAEMON_H
#define OVSX_DAEMON_H

#include <stdbool.h>

/* Forks; in the parent waits for daemon_ready() or the child's death and
 * exits with 0 or the child's failure status.  Returns in the child. */
int daemon_detach(void);
/* Tells a waiting parent that start-up is over (status 0 = ready). */
void daemon_ready(int status);
/* Writes our pid to path, refusing if the file names a live ovs-xdpd.
 * Returns 0 or a negative errno (-EEXIST: already running). */
int daemon_pidfile(const char *path);
void daemon_remove_pidfile(const char *path);

#endif
