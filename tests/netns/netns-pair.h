/* The netns tier's scaffolding: two namespaces of the test's own, made
 * fresh (leftovers of an earlier run removed first) and removed when the
 * test binary exits; `ip` commands run through the shell; entering one of
 * the namespaces, so that nothing in the machine's own is touched. */
#ifndef OVSX_NETNS_PAIR_H
#define OVSX_NETNS_PAIR_H

/* Runs cmd with sh -c; its exit status, or -1. */
int netns_sh(const char *cmd);
/* Creates namespaces a and b, removed at exit; ends the binary as
 * skipped when not root or when namespaces cannot be made. */
void netns_pair_or_skip(const char *a, const char *b);
/* Moves this process into namespace 'name', or ends the binary as
 * skipped. */
void netns_enter_or_skip(const char *name);

#endif
