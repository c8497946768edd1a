/* ovs-xdpctl's first pass over its command line: takes the global options
 * out of it wherever they are, before or after the command, and leaves the
 * command's name and its own words in order for the command to parse (with
 * getopt, as xdpctl-plan.c, xdpctl-watch.c and xdpctl-kernel.c do, or in
 * ovs-xdpd for the commands it answers).  ovs-xdpctl.c runs it, then
 * dispatches.
 *
 * The rule, also in the usage text: a word that spells a global option is
 * one, wherever it is, until a "--"; so a command's option whose value
 * looks like a global one must be written --option=VALUE. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "xdpctl.h"

/* The global options, read as getopt_long reads them: long names in full
 * or abbreviated, short ones alone or clustered (-kj), values attached
 * (--ctl-dir=DIR, -dNAME) or in the next word. */
static const struct option long_globals[] = {
	{"datapath", required_argument, NULL, 'd'},
	{"kernel", no_argument, NULL, 'k'},
	{"json", no_argument, NULL, 'j'},
	{"more", no_argument, NULL, 'm'},
	{"ctl-dir", required_argument, NULL, 'c'},
	{"verbose", required_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
};
static const char short_globals[] = "d:kjmv:hV";

/* What take_long() and take_short() return for a word that is no global
 * option, beside 0, XDPCTL_SHOW_HELP, XDPCTL_SHOW_VERSION and -EINVAL. */
enum {
	NOT_GLOBAL = XDPCTL_SHOW_VERSION + 1
};

struct scan {
	int argc;
	char **argv;
	int i; /* the word being read */
	struct xdpctl_opts *o;
	enum log_level level;
};

static int bad_option(const char *word)
{
	xdpctl_error("unknown option '%s' (try --help)", word);
	return -EINVAL;
}

/* Sets what option VAL says; returns 0, or what -h and -V ask for, or
 * -EINVAL after an error. */
static int apply(struct scan *s, int val, const char *arg)
{
	switch (val) {
	case 'd':
		s->o->datapath = arg;
		break;
	case 'k':
		s->o->kernel = true;
		break;
	case 'j':
		s->o->json = true;
		break;
	case 'm':
		s->o->verbose = true;
		break;
	case 'c':
		s->o->ctl_dir = arg;
		break;
	case 'v':
		if (log_parse_level(arg, &s->level)) {
			xdpctl_error("unknown log level '%s'", arg);
			return -EINVAL;
		}
		break;
	case 'h':
		return XDPCTL_SHOW_HELP;
	case 'V':
		return XDPCTL_SHOW_VERSION;
	}
	return 0;
}

/* The value of the option in the current word, when it is not attached:
 * the next word, whatever it looks like (as getopt takes it); NULL if the
 * line ends. */
static const char *next_word(struct scan *s)
{
	return s->i + 1 < s->argc ? s->argv[++s->i] : NULL;
}

/* The long global option that the LEN bytes at NAME spell in full, or the
 * only one they begin; NULL if none or several. */
static const struct option *find_long(const char *name, size_t len)
{
	const struct option *found = NULL;
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(long_globals); i++) {
		const struct option *lo = &long_globals[i];

		if (strncmp(lo->name, name, len))
			continue;
		if (!lo->name[len])
			return lo;
		found = lo;
		n++;
	}
	return n == 1 ? found : NULL;
}

/* "--name[=value]". */
static int take_long(struct scan *s)
{
	const char *word = s->argv[s->i], *name = word + 2;
	const char *eq = strchr(name, '=');
	const struct option *lo =
		find_long(name, eq ? (size_t)(eq - name) : strlen(name));
	const char *arg = eq ? eq + 1 : NULL;

	if (!lo)
		return NOT_GLOBAL;
	if (lo->has_arg == no_argument && arg)
		return bad_option(word);
	if (lo->has_arg == required_argument && !arg && !(arg = next_word(s)))
		return bad_option(word);
	return apply(s, lo->val, arg);
}

/* Whether every letter of a cluster is a global option, up to the first
 * that takes a value (the rest of the word is that value). */
static bool all_global(const char *letters)
{
	for (const char *p = letters; *p; p++) {
		const char *spec = strchr(short_globals, *p);

		if (*p == ':' || !spec)
			return false;
		if (spec[1] == ':')
			return true;
	}
	return true;
}

/* "-xyz": global only if all of it is, so that a command's own cluster
 * (say -mq) is left whole to the command. */
static int take_short(struct scan *s)
{
	const char *word = s->argv[s->i];
	int rc = 0;

	if (!all_global(word + 1))
		return NOT_GLOBAL;
	for (const char *p = word + 1; *p && !rc; p++) {
		const char *arg;

		if (strchr(short_globals, *p)[1] != ':') {
			rc = apply(s, *p, NULL);
			continue;
		}
		arg = p[1] ? p + 1 : next_word(s);
		return arg ? apply(s, *p, arg) : bad_option(word);
	}
	return rc;
}

int xdpctl_take_globals(int argc, char **argv, struct xdpctl_opts *o, int *n)
{
	struct scan s = {argc, argv, 0, o, LOG_LEVEL_WARN};
	bool ended = false;
	int out = 1, rc;

	for (s.i = 1; s.i < argc; s.i++) {
		char *word = argv[s.i];

		if (ended || word[0] != '-' || !word[1]) {
			argv[out++] = word;
			continue;
		}
		if (!strcmp(word, "--")) {
			/* After the command's name it ends the command's
			 * options too: the command's getopt must see it. */
			if (out > 1)
				argv[out++] = word;
			ended = true;
			continue;
		}
		rc = word[1] == '-' ? take_long(&s) : take_short(&s);
		if (rc == NOT_GLOBAL) {
			if (out == 1) /* there is no command yet */
				return bad_option(word);
			argv[out++] = word; /* the command's own */
		} else if (rc) {
			return rc;
		}
	}
	log_set_level(s.level);
	*n = out - 1;
	return XDPCTL_RUN_COMMAND;
}
