/* The dump-flows line (see include/odp-text.h): UFID, match, statistics,
 * offload and layer fields, actions, in Open vSwitch's order.  Above the
 * key printer (odp-text-print.c) and the action printer
 * (odp-text-print-act.c), which know nothing of whole flows. */
#include <string.h>

#include "odp-text-private.h"
#include "util.h"

static void format_match(struct ds *s, const struct odp_flow *f, bool verbose,
			 const struct odp_port_names *names)
{
	struct otx_val key = {f->key.data, f->key.len};
	struct otx_val mask = {f->mask.data, f->mask.len};
	struct otx_print pp = {verbose, 0, names};

	otx_format_keys(s, &key, f->has_mask ? &mask : NULL, &pp);
}

void odp_format_match(struct ds *s, const struct odp_flow *f, bool verbose)
{
	format_match(s, f, verbose, NULL);
}

void odp_format_ufid(struct ds *s, const uint8_t *ufid, size_t len)
{
	uint32_t w[4];
	uint8_t bytes[16] = {0};

	/* OVS holds a UFID as four host-order u32 words.  Shorter UFIDs
	 * (which OVS itself never uses) are zero-padded. */
	memcpy(bytes, ufid, len < sizeof bytes ? len : sizeof bytes);
	memcpy(w, bytes, sizeof w);
	ds_printf(s, "%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16,
		  w[1] & 0xffff, w[2] >> 16, w[2] & 0xffff, w[3]);
}

/* The stats' TCP flags, in OVS's fixed letter order (not bit order). */
static void put_tcp_letters(struct ds *s, uint16_t flags)
{
	static const struct {
		uint16_t bit;
		const char *text;
	} letters[] = {
		{0x002, "S"},	  {0x001, "F"},	    {0x008, "P"},
		{0x004, "R"},	  {0x020, "U"},	    {0x010, "."},
		{0x040, "E"},	  {0x080, "C"},	    {0x100, "N"},
		{0x200, "[200]"}, {0x400, "[400]"}, {0x800, "[800]"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(letters); i++)
		if (flags & letters[i].bit)
			ds_put(s, letters[i].text);
}

static void format_stats(struct ds *s, const struct odp_flow *f,
			 uint64_t now_ms)
{
	const struct flow_stats *st = &f->stats;

	ds_printf(s, ", packets:%llu, bytes:%llu, used:",
		  (unsigned long long)st->packets,
		  (unsigned long long)st->bytes);
	if (st->used_ms)
		ds_printf(s, "%.3fs",
			  (double)(int64_t)(now_ms - st->used_ms) / 1000.0);
	else
		ds_put(s, "never");
	if (st->tcp_flags) {
		ds_put(s, ", flags:");
		put_tcp_letters(s, st->tcp_flags);
	}
}

void odp_format_actions(struct ds *s, const void *actions, size_t len)
{
	struct otx_print pp = {false, 0, NULL};

	otx_format_action_list(s, actions, len, &pp);
}

void odp_format_flow(struct ds *s, const struct odp_flow *f,
		     const struct odp_format_opts *opts)
{
	struct otx_print pp = {false, 0, opts->names};
	const char *layer = opts->dp_layer ? opts->dp_layer : "ovs";

	if (opts->verbose && f->ufid_len) {
		ds_put(s, "ufid:");
		odp_format_ufid(s, f->ufid, f->ufid_len);
		ds_put(s, ", ");
	}
	format_match(s, f, opts->verbose, opts->names);
	if (opts->stats)
		format_stats(s, f, opts->now_ms);
	/* Kernel flows are in the "ovs" layer and never offloaded. */
	if (opts->offload_view)
		ds_printf(s, ", offloaded:%s", opts->offloaded ? "yes" : "no");
	else if (opts->verbose && opts->offloaded)
		ds_put(s, strcmp(layer, "ovs") ? ", offloaded:yes"
					       : ", offloaded:partial");
	if (opts->verbose || opts->offload_view)
		ds_printf(s, ", dp:%s", layer);
	ds_put(s, ", actions:");
	otx_format_action_list(s, f->actions.data, f->actions.len, &pp);
	if ((opts->verbose || opts->offload_view) && opts->extra)
		ds_printf(s, ", dp-extra-info:%s", opts->extra);
}
