/* libbpf's own messages, routed through the project's logger (util/log.h).
 * Here, not in log.h, so that code without BPF does not link libbpf. */
#ifndef OVSX_LOG_LIBBPF_H
#define OVSX_LOG_LIBBPF_H

void log_bridge_libbpf(void);

#endif
