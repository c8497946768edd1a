/* Fixtures for the planner and engine unit tests (see plan-fixture.h). */
#include "plan-fixture.h"

#include <linux/openvswitch.h>
#include <stdio.h>
#include <string.h>

#include "odp-text.h"
#include "test.h"

static void add_port(struct port_table *t, uint32_t no, const char *name,
		     int ifindex, enum port_limit rx, enum port_limit tx)
{
	struct port_info p = {.port_no = no,
			      .vport_type = OVS_VPORT_TYPE_NETDEV,
			      .ifindex = ifindex,
			      .mtu = 1500,
			      .rx_limit = rx,
			      .tx_limit = tx};

	snprintf(p.name, sizeof p.name, "%s", name);
	if (rx == PORT_LIMIT_INTERNAL)
		p.vport_type = OVS_VPORT_TYPE_INTERNAL;
	CHECK_INT(port_table_put(t, &p), 0);
}

void fixture_ports(struct port_table *t)
{
	CHECK_INT(port_table_init(t), 0);
	add_port(t, 0, "br0", 10, PORT_LIMIT_INTERNAL, PORT_LIMIT_INTERNAL);
	add_port(t, 1, "p1", 11, PORT_LIMIT_NONE, PORT_LIMIT_NONE);
	add_port(t, 2, "p2", 12, PORT_LIMIT_NONE, PORT_LIMIT_NONE);
	add_port(t, 3, "p3", 13, PORT_LIMIT_NONE, PORT_LIMIT_NONE);
	add_port(t, 4, "vxlan_sys_4789", 14, PORT_LIMIT_TUNNEL,
		 PORT_LIMIT_TUNNEL);
	add_port(t, 5, "p5", 15, PORT_LIMIT_NONE, PORT_LIMIT_NO_XDP_XMIT);
}

void fixture_flow(struct odp_flow *f, const char *match, const char *actions,
		  int id)
{
	char line[2048], err[256] = "";
	int ret;

	snprintf(line, sizeof line,
		 "%s, packets:0, bytes:0, used:never, actions:%s", match,
		 actions);
	odp_flow_init(f);
	ret = odp_parse_flow(line, 0, f, err, sizeof err);
	if (ret)
		test_fail(__FILE__, __LINE__, "cannot parse '%s': %s", line,
			  err);
	if (id) {
		f->ufid_len = 16;
		memset(f->ufid, 0, 16);
		memcpy(f->ufid, &id, sizeof id);
	}
}
