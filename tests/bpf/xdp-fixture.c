/* The XDP program under test and its maps (see xdp-fixture.h). */
#include "xdp-fixture.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ovs_xdp.skel.h"
#include "test.h"

#define RUN_OUT_MAX 4096 /* room for a frame run by fixture_parse() */

struct xdp_fixture {
	struct ovs_xdp *skel;
	volatile struct ovsx_config *cfg;
	int ncpus;
	uint32_t max_masks, max_slots, next_slot;
	struct ovsx_mask *masks; /* shadow of masks[] */
	/* ports[] is an array: the entries to zero on reset. */
	uint32_t port_ifindex[FIXTURE_MAX_PORTS];
	size_t n_ports;
};

static int neg_errno(int ret)
{
	return ret < 0 ? -errno : ret;
}

/* test_run executes on the calling CPU: stay on one. */
static void pin_to_one_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

struct xdp_fixture *fixture_open(void)
{
	struct xdp_fixture *f = calloc(1, sizeof(*f));
	int err;

	if (geteuid() != 0)
		test_skip_all("needs root to load BPF programs");
	pin_to_one_cpu();
	f->skel = ovs_xdp__open_and_load();
	if (!f->skel) {
		err = errno;
		if (err == EPERM || err == ENOSYS || err == EOPNOTSUPP)
			test_skip_all("kernel refuses BPF programs: %s",
				      strerror(err));
		test_fail(__FILE__, __LINE__, "cannot load: %s", strerror(err));
		exit(1);
	}
	f->cfg = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE),
		      PROT_READ | PROT_WRITE, MAP_SHARED,
		      bpf_map__fd(f->skel->maps.config), 0);
	if (f->cfg == MAP_FAILED) {
		test_fail(__FILE__, __LINE__, "mmap config: %s",
			  strerror(errno));
		exit(1);
	}
	f->ncpus = libbpf_num_possible_cpus();
	f->max_masks = bpf_map__max_entries(f->skel->maps.masks);
	f->max_slots = bpf_map__max_entries(f->skel->maps.actions);
	f->masks = calloc(f->max_masks, sizeof(*f->masks));
	fixture_reset(f);
	return f;
}

void fixture_close(struct xdp_fixture *f)
{
	if (!f)
		return;
	if (f->cfg && f->cfg != MAP_FAILED)
		munmap((void *)f->cfg, (size_t)sysconf(_SC_PAGESIZE));
	ovs_xdp__destroy(f->skel);
	free(f->masks);
	free(f);
}

static void bump_generation(struct xdp_fixture *f)
{
	__atomic_add_fetch(&f->cfg->generation, 1, __ATOMIC_RELEASE);
}

static void delete_all(int fd)
{
	uint8_t key[sizeof(struct ovsx_flow_key)]; /* the largest map key */

	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key))
			break;
}

/* Empties flows[] and masks[]; ports and devices stay. */
static void reset_flows(struct xdp_fixture *f)
{
	struct ovsx_mask none = {0};

	delete_all(bpf_map__fd(f->skel->maps.flows));
	for (uint32_t id = 0; id < f->max_masks; id++) {
		if (!f->masks[id].active)
			continue;
		bpf_map_update_elem(bpf_map__fd(f->skel->maps.masks), &id,
				    &none, BPF_ANY);
		f->masks[id].active = 0;
	}
	f->cfg->n_masks = 0;
	f->next_slot = 0;
	bump_generation(f);
}

void fixture_reset(struct xdp_fixture *f)
{
	struct bpf_map *groups[OVSX_MAX_GROUPS] = {
		f->skel->maps.group_0,	f->skel->maps.group_1,
		f->skel->maps.group_2,	f->skel->maps.group_3,
		f->skel->maps.group_4,	f->skel->maps.group_5,
		f->skel->maps.group_6,	f->skel->maps.group_7,
		f->skel->maps.group_8,	f->skel->maps.group_9,
		f->skel->maps.group_10, f->skel->maps.group_11,
		f->skel->maps.group_12, f->skel->maps.group_13,
		f->skel->maps.group_14, f->skel->maps.group_15,
	};

	reset_flows(f);
	for (size_t i = 0; i < f->n_ports; i++) {
		static const struct ovsx_port none;

		bpf_map_update_elem(bpf_map__fd(f->skel->maps.ports),
				    &f->port_ifindex[i], &none, BPF_ANY);
	}
	f->n_ports = 0;
	delete_all(bpf_map__fd(f->skel->maps.ports_far));
	delete_all(bpf_map__fd(f->skel->maps.tx_ports));
	for (int i = 0; i < OVSX_MAX_GROUPS; i++)
		delete_all(bpf_map__fd(groups[i]));
	f->cfg->heartbeat_deadline_ns = 0;
	f->cfg->keepalive_ns = 0;
}

int fixture_add_port(struct xdp_fixture *f, uint32_t ifindex, uint32_t port_no,
		     uint32_t flags)
{
	struct ovsx_port port = {.port_no = port_no,
				 .flags = (__u16)(flags | OVSX_PORT_ACTIVE),
				 .stats_id = (__u16)port_no};
	struct bpf_map *map = f->skel->maps.ports_far;

	if (ifindex < OVSX_PORT_INDEX_LIMIT) {
		if (f->n_ports == FIXTURE_MAX_PORTS)
			return -ENOSPC;
		f->port_ifindex[f->n_ports++] = ifindex;
		map = f->skel->maps.ports;
	}
	return neg_errno(bpf_map_update_elem(bpf_map__fd(map), &ifindex, &port,
					     BPF_ANY));
}

/* The id of an active mask equal to 'mask', else a free id written with
 * it; n_masks covers the highest id in use. */
static int mask_id(struct xdp_fixture *f, const struct ovsx_key *mask)
{
	struct ovsx_mask m = {.active = 1, .mask = *mask};
	uint32_t id, free_id = UINT32_MAX;
	int err;

	for (id = 0; id < f->max_masks; id++) {
		if (!f->masks[id].active) {
			if (free_id == UINT32_MAX)
				free_id = id;
			continue;
		}
		if (!memcmp(&f->masks[id].mask, mask, sizeof(*mask)))
			return (int)id;
	}
	if (free_id == UINT32_MAX)
		return -ENOSPC;
	err = bpf_map_update_elem(bpf_map__fd(f->skel->maps.masks), &free_id,
				  &m, BPF_ANY);
	if (err)
		return -errno;
	f->masks[free_id] = m;
	if (free_id + 1 > f->cfg->n_masks)
		__atomic_store_n(&f->cfg->n_masks, free_id + 1,
				 __ATOMIC_RELEASE);
	return (int)free_id;
}

/* A fresh slot: statistics and keepalive cleared, then the actions. */
static int write_slot(struct xdp_fixture *f, const struct ovsx_actions *a)
{
	struct ovsx_flow_stats *zero = calloc((size_t)f->ncpus, sizeof(*zero));
	struct ovsx_keepalive ka = {0};
	uint32_t slot = f->next_slot;
	int err;

	if (!zero || slot >= f->max_slots) {
		free(zero);
		return -ENOSPC;
	}
	err = bpf_map_update_elem(bpf_map__fd(f->skel->maps.flow_stats), &slot,
				  zero, BPF_ANY);
	if (!err)
		err = bpf_map_update_elem(bpf_map__fd(f->skel->maps.keepalive),
					  &slot, &ka, BPF_ANY);
	if (!err)
		err = bpf_map_update_elem(bpf_map__fd(f->skel->maps.actions),
					  &slot, a, BPF_ANY);
	free(zero);
	if (err)
		return -errno;
	f->next_slot++;
	return (int)slot;
}

int fixture_add_flow(struct xdp_fixture *f, const struct ovsx_key *key,
		     const struct ovsx_key *mask,
		     const struct ovsx_actions *actions)
{
	struct ovsx_flow_key fk = {0};
	struct ovsx_flow_ref ref = {0};
	const uint8_t *k = (const void *)key, *m = (const void *)mask;
	uint8_t *w = (void *)&fk.key;
	int id, slot;

	id = mask_id(f, mask);
	if (id < 0)
		return id;
	slot = write_slot(f, actions);
	if (slot < 0)
		return slot;
	fk.mask_id = (uint32_t)id;
	for (size_t i = 0; i < sizeof(fk.key); i++)
		w[i] = k[i] & m[i];
	ref.slot = (uint32_t)slot;
	if (bpf_map_update_elem(bpf_map__fd(f->skel->maps.flows), &fk, &ref,
				BPF_ANY))
		return -errno;
	bump_generation(f);
	return slot;
}

int fixture_add_tx_port(struct xdp_fixture *f, uint32_t ifindex)
{
	struct bpf_devmap_val v = {.ifindex = ifindex};

	return neg_errno(bpf_map_update_elem(
		bpf_map__fd(f->skel->maps.tx_ports), &ifindex, &v, BPF_ANY));
}

int fixture_set_group(struct xdp_fixture *f, uint32_t id,
		      const uint32_t *ifindex, size_t n)
{
	struct bpf_map *groups[OVSX_MAX_GROUPS] = {
		f->skel->maps.group_0,	f->skel->maps.group_1,
		f->skel->maps.group_2,	f->skel->maps.group_3,
		f->skel->maps.group_4,	f->skel->maps.group_5,
		f->skel->maps.group_6,	f->skel->maps.group_7,
		f->skel->maps.group_8,	f->skel->maps.group_9,
		f->skel->maps.group_10, f->skel->maps.group_11,
		f->skel->maps.group_12, f->skel->maps.group_13,
		f->skel->maps.group_14, f->skel->maps.group_15,
	};
	int fd;

	if (id >= OVSX_MAX_GROUPS)
		return -E2BIG;
	fd = bpf_map__fd(groups[id]);
	delete_all(fd);
	for (size_t i = 0; i < n; i++) {
		struct bpf_devmap_val v = {.ifindex = ifindex[i]};

		if (bpf_map_update_elem(fd, &ifindex[i], &v, BPF_ANY))
			return -errno;
	}
	return 0;
}

volatile struct ovsx_config *fixture_config(struct xdp_fixture *f)
{
	return f->cfg;
}

int fixture_run(struct xdp_fixture *f, const void *frame, size_t len, void *out,
		uint32_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = *out_len, .repeat = 1);
	int err;

	err = bpf_prog_test_run_opts(
		bpf_program__fd(f->skel->progs.ovs_xdp_main), &opts);
	if (err)
		return -errno;
	*out_len = opts.data_size_out;
	return (int)opts.retval;
}

/* Sums 'n' per-CPU values of 'size' bytes as u64 words into 'sum'. */
static int percpu_sum(struct xdp_fixture *f, int fd, uint32_t key, void *sum,
		      size_t size)
{
	uint64_t *vals = calloc((size_t)f->ncpus, size);
	uint64_t *s = sum;
	int err = 0;

	if (!vals)
		return -ENOMEM;
	memset(sum, 0, size);
	if (bpf_map_lookup_elem(fd, &key, vals))
		err = -errno;
	for (int c = 0; !err && c < f->ncpus; c++)
		for (size_t i = 0; i < size / 8; i++)
			s[i] += vals[(size_t)c * size / 8 + i];
	free(vals);
	return err;
}

uint64_t fixture_counter(struct xdp_fixture *f, enum ovsx_counter c)
{
	struct ovsx_counters v;

	if (percpu_sum(f, bpf_map__fd(f->skel->maps.counters), 0, &v,
		       sizeof(v)))
		return 0;
	return v.n[c];
}

int fixture_flow_stats(struct xdp_fixture *f, uint32_t slot,
		       struct ovsx_flow_stats *sum)
{
	struct ovsx_flow_stats *vals = calloc((size_t)f->ncpus, sizeof(*vals));
	int err = 0;

	if (!vals)
		return -ENOMEM;
	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(bpf_map__fd(f->skel->maps.flow_stats), &slot,
				vals))
		err = -errno;
	for (int c = 0; !err && c < f->ncpus; c++) {
		sum->packets += vals[c].packets;
		sum->bytes += vals[c].bytes;
		sum->tcp_flags |= vals[c].tcp_flags;
		if (vals[c].used_ns > sum->used_ns)
			sum->used_ns = vals[c].used_ns;
	}
	free(vals);
	return err;
}

int fixture_port_stats(struct xdp_fixture *f, uint32_t stats_id,
		       struct ovsx_port_stats *sum)
{
	return percpu_sum(f, bpf_map__fd(f->skel->maps.port_stats), stats_id,
			  sum, sizeof(*sum));
}

int fixture_keepalive(struct xdp_fixture *f, uint32_t slot,
		      uint64_t last_pass_ns)
{
	struct ovsx_keepalive ka = {.last_pass_ns = last_pass_ns};

	return neg_errno(bpf_map_update_elem(
		bpf_map__fd(f->skel->maps.keepalive), &slot, &ka, BPF_ANY));
}

/* The cache entry of the current generation: the frame just run. */
static int emc_find(struct xdp_fixture *f, struct ovsx_key *key)
{
	int fd = bpf_map__fd(f->skel->maps.emc);
	uint32_t n = bpf_map__max_entries(f->skel->maps.emc);
	struct ovsx_emc_set *sets = calloc((size_t)f->ncpus, sizeof(*sets));
	uint64_t gen = f->cfg->generation;
	int found = 0;

	if (!sets)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, &i, sets))
			continue;
		for (int c = 0; c < f->ncpus; c++) {
			for (int w = 0; w < OVSX_EMC_WAYS; w++) {
				if (sets[c].way[w].generation != gen)
					continue;
				*key = sets[c].way[w].key;
				found++;
			}
		}
	}
	free(sets);
	return found == 1 ? 0 : found ? -EEXIST : -ENOENT;
}

int fixture_parse(struct xdp_fixture *f, const void *frame, size_t len,
		  struct ovsx_key *key)
{
	struct ovsx_actions drop = {.out_kind = OVSX_OUT_DROP,
				    .max_frame_len = UINT32_MAX};
	struct ovsx_key zero = {0};
	uint8_t out[RUN_OUT_MAX];
	uint32_t out_len = sizeof(out);
	int verdict, err;

	reset_flows(f);
	err = fixture_add_flow(f, &zero, &zero, &drop);
	if (err < 0)
		return err;
	verdict = fixture_run(f, frame, len, out, &out_len);
	/* Keyed frames hit the catch-all flow (and fill the cache); TCP SYN,
	 * FIN and RST then go to the kernel all the same. */
	err = verdict == XDP_DROP || verdict == XDP_PASS ? emc_find(f, key)
							 : -ENOENT;
	reset_flows(f);
	return verdict < 0 ? verdict : err;
}

uint32_t fixture_verified_insns(struct xdp_fixture *f)
{
	struct bpf_prog_info info = {0};
	uint32_t len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(f->skel->progs.ovs_xdp_main),
				   &info, &len))
		return 0;
	return info.verified_insns;
}
