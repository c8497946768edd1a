/* Where the control socket lives (see include/control.h). */
#include "control.h"

#include <stdio.h>

void control_socket_path(char *buf, size_t n, const char *dir,
			 const char *datapath)
{
	snprintf(buf, n, "%s/ovs-xdpd.%s.ctl", dir ? dir : CONTROL_DEFAULT_DIR,
		 datapath);
}
