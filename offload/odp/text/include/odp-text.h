/* Flows as text, in the syntax of `ovs-dpctl dump-flows` and
 * `ovs-appctl dpctl/dump-flows -m`, printed and parsed back.
 *
 * The printer works on the raw attribute streams of an odp_flow, in the
 * order received, as Open vSwitch does, so that our view of the datapath can
 * be diffed against Open vSwitch's.  The parser builds the same streams from
 * text; print(parse(text)) == text for everything Open vSwitch 3.1 prints.
 * The offline planner (`ovs-xdpctl plan`) reads dumps through the parser. */
#ifndef OVSX_ODP_TEXT_H
#define OVSX_ODP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ds.h"
#include "flow.h"

/* Datapath port names, for "in_port(eth0)" and "actions:eth1", as
 * Open vSwitch prints them with names on (the default of -m).  Port 0 (the
 * datapath's local port) is named too. */
struct odp_port_name {
	uint32_t port_no;
	const char *name;
};

struct odp_port_names {
	const struct odp_port_name *ports;
	size_t n;
};

struct odp_format_opts {
	bool verbose;	 /* -m: wildcarded fields shown as /0, ufid: prefix */
	bool stats;	 /* packets:, bytes:, used:, flags: */
	uint64_t now_ms; /* CLOCK_MONOTONIC ms, for used: */
	/* NULL: port numbers (--no-names).  Used for in_port() and for
	 * output ports in actions, as Open vSwitch does. */
	const struct odp_port_names *names;
	/* The -m only parts, as OVS prints them for other layers (kernel
	 * flows: all zero, which prints "dp:ovs").  offloaded prints
	 * "offloaded:partial" in layer "ovs", "offloaded:yes" otherwise. */
	bool offloaded;
	const char *dp_layer; /* NULL: "ovs" */
	const char *extra;    /* "dp-extra-info:" text, or NULL */
	/* ovs-xdpd's dump-flows: "offloaded:yes|no", "dp:" and
	 * "dp-extra-info:" on every line, -m or not. */
	bool offload_view;
};

/* Appends the key/mask part ("recirc_id(0),in_port(2),..."). */
void odp_format_match(struct ds *s, const struct odp_flow *f, bool verbose);
/* Appends an action list ("2,3" or "drop" or "set(...),push_vlan(...)"). */
void odp_format_actions(struct ds *s, const void *actions, size_t len);
/* Appends the UFID as Open vSwitch prints it (without "ufid:"). */
void odp_format_ufid(struct ds *s, const uint8_t *ufid, size_t len);
/* Appends a whole dump-flows line, without the newline. */
void odp_format_flow(struct ds *s, const struct odp_flow *f,
		     const struct odp_format_opts *opts);

/* Parses one dump-flows line (the output of odp_format_flow, or of
 * ovs-dpctl/ovs-appctl dump-flows) into *f, which must be initialised.
 * 'now_ms' turns "used:" back into a timestamp.  Returns 0, or -EINVAL with
 * a one-line message in err. */
int odp_parse_flow(const char *line, uint64_t now_ms, struct odp_flow *f,
		   char *err, size_t errlen);
/* The same, with port names ("in_port(eth0)", "actions:eth1") resolved
 * through 'names' (NULL: numbers only). */
int odp_parse_flow_names(const char *line, uint64_t now_ms,
			 const struct odp_port_names *names, struct odp_flow *f,
			 char *err, size_t errlen);
/* Parses only a match ("in_port(1),eth(...),...") into key and mask. */
int odp_parse_match(const char *text, struct odp_flow *f, char *err,
		    size_t errlen);
/* Parses only an action list into an OVS_ACTION_ATTR_* stream. */
int odp_parse_actions(const char *text, struct buf *actions, char *err,
		      size_t errlen);
/* Parses "ufid:..." text (without the prefix) into 16 bytes. */
int odp_parse_ufid(const char *text, uint8_t ufid[16]);

#endif
