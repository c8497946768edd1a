/* Reaching a device's network namespace from its netns id.
 *
 * A veth port's peer usually lives in another namespace, named only by the
 * id our namespace gives it (IFLA_LINK_NETNSID).  To inspect the peer the
 * agent finds a file for that namespace (those `ip netns` keeps under
 * /run/netns, then those of running processes under /proc), compares ids
 * with RTM_GETNSID, and enters it in the calling thread. */
#ifndef OVSX_NETNS_H
#define OVSX_NETNS_H

/* Opens the namespace our namespace calls 'nsid'.  Returns an fd, or
 * -ENOENT if no visible file leads to it. */
int netns_open_by_id(int nsid);
/* Runs fn(aux) inside the namespace 'ns_fd', then returns to the caller's
 * namespace.  Returns fn's result, or a negative errno if the namespace
 * could not be entered (or left: then the process is in a wrong namespace
 * and the caller must stop). */
int netns_run_in(int ns_fd, int (*fn)(void *aux), void *aux);

#endif
