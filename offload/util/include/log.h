/* Logging with module tags, levels and rate limits.
 *
 * Each source file names its module once with LOG_MODULE("name") and logs
 * with LOG_ERR/LOG_WARN/LOG_INFO/LOG_DBG.  Anything reachable once per flow
 * or per message uses the _RL variants, which let through at most a burst
 * per interval and count what they suppressed.  Output goes to stderr, a log
 * file and/or syslog (log_set_*).  libbpf's messages are bridged in. */
#ifndef OVSX_LOG_H
#define OVSX_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum log_level {
	LOG_LEVEL_OFF,
	LOG_LEVEL_ERR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DBG,
};

struct log_ratelimit {
	uint64_t window_start_ms;
	unsigned int in_window;
	unsigned int suppressed;
};

#define LOG_RATELIMIT_INIT \
	{                  \
		0, 0, 0    \
	}
#define LOG_RL_BURST	 5 /* messages per window */
#define LOG_RL_WINDOW_MS 5000

#define LOG_MODULE(name) static const char log_module[] = name

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_msg_rl(struct log_ratelimit *rl, enum log_level level,
		const char *module, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define LOG_ERR(...)  log_msg(LOG_LEVEL_ERR, log_module, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LEVEL_WARN, log_module, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LEVEL_INFO, log_module, __VA_ARGS__)
#define LOG_DBG(...)  log_msg(LOG_LEVEL_DBG, log_module, __VA_ARGS__)

#define LOG_RL(level, ...)                                            \
	do {                                                          \
		static struct log_ratelimit rl_ = LOG_RATELIMIT_INIT; \
		log_msg_rl(&rl_, level, log_module, __VA_ARGS__);     \
	} while (0)
#define LOG_WARN_RL(...) LOG_RL(LOG_LEVEL_WARN, __VA_ARGS__)
#define LOG_INFO_RL(...) LOG_RL(LOG_LEVEL_INFO, __VA_ARGS__)
#define LOG_DBG_RL(...)	 LOG_RL(LOG_LEVEL_DBG, __VA_ARGS__)

/* Messages above 'level' are dropped (default: info). */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "off", "err", "warn", "info", "dbg"; returns -EINVAL otherwise. */
int log_parse_level(const char *s, enum log_level *level);
/* Also append to this file (NULL: stop).  Returns 0 or -errno. */
int log_set_file(const char *path);
/* Also send to syslog under 'ident' (NULL: stop). */
void log_set_syslog(const char *ident);
/* Whether to write to stderr (default: yes). */
void log_set_stderr(bool on);

#endif
