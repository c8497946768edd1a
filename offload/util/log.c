/* Logging (see include/log.h). */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "util.h"

static enum log_level max_level = LOG_LEVEL_INFO;
static FILE *log_file;
static bool to_stderr = true;
static bool to_syslog;

static const char *const level_names[] = {
	[LOG_LEVEL_OFF] = "off",   [LOG_LEVEL_ERR] = "err",
	[LOG_LEVEL_WARN] = "warn", [LOG_LEVEL_INFO] = "info",
	[LOG_LEVEL_DBG] = "dbg",
};

static const int syslog_prio[] = {
	[LOG_LEVEL_OFF] = LOG_DEBUG,	[LOG_LEVEL_ERR] = LOG_ERR,
	[LOG_LEVEL_WARN] = LOG_WARNING, [LOG_LEVEL_INFO] = LOG_INFO,
	[LOG_LEVEL_DBG] = LOG_DEBUG,
};

void log_set_level(enum log_level level)
{
	max_level = level;
}

enum log_level log_get_level(void)
{
	return max_level;
}

int log_parse_level(const char *s, enum log_level *level)
{
	for (size_t i = 0; i < sizeof level_names / sizeof level_names[0];
	     i++) {
		if (!strcmp(s, level_names[i])) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

int log_set_file(const char *path)
{
	FILE *f = NULL;

	if (path) {
		f = fopen(path, "a");
		if (!f)
			return -errno;
		setvbuf(f, NULL, _IOLBF, 0);
	}
	if (log_file)
		fclose(log_file);
	log_file = f;
	return 0;
}

void log_set_syslog(const char *ident)
{
	if (to_syslog)
		closelog();
	to_syslog = ident != NULL;
	if (ident)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

void log_set_stderr(bool on)
{
	to_stderr = on;
}

static void log_emit(enum log_level level, const char *module, const char *fmt,
		     va_list ap)
{
	char msg[1024];
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	vsnprintf(msg, sizeof msg, fmt, ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);

	if (to_stderr)
		fprintf(stderr, "%s.%03ldZ|%s|%s|%s\n", stamp,
			ts.tv_nsec / 1000000, module, level_names[level], msg);
	if (log_file)
		fprintf(log_file, "%s.%03ldZ|%s|%s|%s\n", stamp,
			ts.tv_nsec / 1000000, module, level_names[level], msg);
	if (to_syslog)
		syslog(syslog_prio[level], "%s|%s", module, msg);
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
	va_list ap;

	if (level > max_level || level == LOG_LEVEL_OFF)
		return;
	va_start(ap, fmt);
	log_emit(level, module, fmt, ap);
	va_end(ap);
}

void log_msg_rl(struct log_ratelimit *rl, enum log_level level,
		const char *module, const char *fmt, ...)
{
	uint64_t now;
	va_list ap;

	if (level > max_level || level == LOG_LEVEL_OFF)
		return;
	now = time_monotonic_ms();
	if (now - rl->window_start_ms >= LOG_RL_WINDOW_MS) {
		if (rl->suppressed)
			log_msg(level, module,
				"(%u similar messages suppressed)",
				rl->suppressed);
		rl->window_start_ms = now;
		rl->in_window = 0;
		rl->suppressed = 0;
	}
	if (rl->in_window >= LOG_RL_BURST) {
		rl->suppressed++;
		return;
	}
	rl->in_window++;
	va_start(ap, fmt);
	log_emit(level, module, fmt, ap);
	va_end(ap);
}
