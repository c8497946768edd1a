/* libFuzzer target: the Open vSwitch database's answer to the agent's
 * select (ovsdb_view_parse): any bytes decode to a view or -EPROTO, and a
 * view never names an interface with an unterminated name. */
#include <stdint.h>
#include <string.h>

#include "ovsdb-view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ovsdb_view v;

	if (ovsdb_view_parse((const char *)data, size, &v))
		return 0;
	for (size_t i = 0; i < v.n_ifaces; i++)
		if (strnlen(v.ifaces[i].name, sizeof v.ifaces[i].name) ==
			    sizeof v.ifaces[i].name ||
		    strnlen(v.ifaces[i].bond_mode,
			    sizeof v.ifaces[i].bond_mode) ==
			    sizeof v.ifaces[i].bond_mode)
			__builtin_trap();
	if (v.n_ifaces)
		(void)ovsdb_view_find(&v, v.ifaces[0].name);
	ovsdb_view_free(&v);
	return 0;
}
