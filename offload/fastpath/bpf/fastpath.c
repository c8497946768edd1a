/* The loaded XDP program (see include/fastpath.h). */
#include "fastpath.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "ovs_xdp.skel.h"

LOG_MODULE("fastpath");

struct fastpath {
	struct ovs_xdp *skel;
	struct fp_bpf_maps maps;
	uint64_t *ports; /* the mmapped ports[] array, one word per ifindex */
	uint32_t max_flows, max_masks;
	int ncpus;
	void *percpu; /* scratch for per-CPU reads */
	size_t percpu_size;
};

const char *fastpath_mode_name(enum fastpath_mode m)
{
	return m == FASTPATH_NATIVE ? "native" : "generic";
}

static int mode_flags(enum fastpath_mode m)
{
	return m == FASTPATH_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
}

static int size_maps(struct ovs_xdp *s, uint32_t max_flows, uint32_t max_masks)
{
	int err = bpf_map__set_max_entries(s->maps.flows, max_flows);

	if (!err)
		err = bpf_map__set_max_entries(s->maps.actions, max_flows);
	if (!err)
		err = bpf_map__set_max_entries(s->maps.flow_stats, max_flows);
	if (!err)
		err = bpf_map__set_max_entries(s->maps.keepalive, max_flows);
	if (!err)
		err = bpf_map__set_max_entries(s->maps.masks, max_masks);
	return err;
}

static void collect_maps(struct fastpath *fp)
{
	struct ovs_xdp *s = fp->skel;
	const struct bpf_map *groups[OVSX_MAX_GROUPS] = {
		s->maps.group_0,  s->maps.group_1,  s->maps.group_2,
		s->maps.group_3,  s->maps.group_4,  s->maps.group_5,
		s->maps.group_6,  s->maps.group_7,  s->maps.group_8,
		s->maps.group_9,  s->maps.group_10, s->maps.group_11,
		s->maps.group_12, s->maps.group_13, s->maps.group_14,
		s->maps.group_15,
	};

	fp->maps.masks = bpf_map__fd(s->maps.masks);
	fp->maps.flows = bpf_map__fd(s->maps.flows);
	fp->maps.actions = bpf_map__fd(s->maps.actions);
	fp->maps.flow_stats = bpf_map__fd(s->maps.flow_stats);
	fp->maps.keepalive = bpf_map__fd(s->maps.keepalive);
	for (int i = 0; i < OVSX_MAX_GROUPS; i++)
		fp->maps.groups[i] = bpf_map__fd(groups[i]);
}

#define PORTS_BYTES (OVSX_PORT_INDEX_LIMIT * sizeof(struct ovsx_port))

static void *map_shared(const struct bpf_map *map, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(map), 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The maps user space writes in place: config, and ports[]. */
static int map_in_place(struct fastpath *fp)
{
	fp->maps.config = map_shared(fp->skel->maps.config,
				     (size_t)sysconf(_SC_PAGESIZE));
	if (!fp->maps.config)
		return -errno;
	fp->ports = map_shared(fp->skel->maps.ports, PORTS_BYTES);
	return fp->ports ? 0 : -errno;
}

int fastpath_open(struct fastpath **out, uint32_t max_flows, uint32_t max_masks)
{
	struct fastpath *fp = calloc(1, sizeof *fp);
	size_t value;
	int err;

	*out = NULL;
	if (!fp)
		return -ENOMEM;
	fp->max_flows = max_flows;
	fp->max_masks = max_masks;
	fp->ncpus = libbpf_num_possible_cpus();
	value = sizeof(struct ovsx_port_stats) > sizeof(struct ovsx_counters)
			? sizeof(struct ovsx_port_stats)
			: sizeof(struct ovsx_counters);
	fp->percpu_size = value * (size_t)(fp->ncpus > 0 ? fp->ncpus : 1);
	/* Each failure says what failed: the caller only has an errno. */
	if (fp->ncpus <= 0) {
		err = fp->ncpus ? fp->ncpus : -EINVAL;
		LOG_ERR("cannot count the possible CPUs: %s", strerror(-err));
		goto fail;
	}
	fp->percpu = malloc(fp->percpu_size);
	if (!fp->percpu) {
		err = -ENOMEM;
		goto fail;
	}
	fp->skel = ovs_xdp__open();
	if (!fp->skel) {
		err = -errno;
		LOG_ERR("cannot open the embedded BPF object: %s",
			strerror(-err));
		goto fail;
	}
	err = size_maps(fp->skel, max_flows, max_masks);
	if (err) {
		LOG_ERR("cannot size the maps for %u flows and %u masks: %s",
			max_flows, max_masks, strerror(-err));
		goto fail;
	}
	err = ovs_xdp__load(fp->skel);
	if (err) {
		LOG_ERR("the kernel refused the XDP program or its maps: %s",
			strerror(-err));
		goto fail;
	}
	err = map_in_place(fp);
	if (err) {
		LOG_ERR("cannot map the program's arrays: %s", strerror(-err));
		goto fail;
	}
	collect_maps(fp);
	*out = fp;
	return 0;
fail:
	fastpath_close(fp);
	return err < 0 ? err : -EINVAL;
}

void fastpath_close(struct fastpath *fp)
{
	if (!fp)
		return;
	if (fp->maps.config)
		munmap((void *)fp->maps.config, (size_t)sysconf(_SC_PAGESIZE));
	if (fp->ports)
		munmap(fp->ports, PORTS_BYTES);
	ovs_xdp__destroy(fp->skel);
	free(fp->percpu);
	free(fp);
}

static int prog_fd(const struct fastpath *fp)
{
	return bpf_program__fd(fp->skel->progs.ovs_xdp_main);
}

int fastpath_prog_fd(const struct fastpath *fp)
{
	return prog_fd(fp);
}

uint32_t fastpath_prog_id(const struct fastpath *fp)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof info;

	memset(&info, 0, sizeof info);
	if (bpf_obj_get_info_by_fd(prog_fd(fp), &info, &len))
		return 0;
	return info.id;
}

/* Whether map id is a read-only data map holding OVSX_PROG_TAG. */
static bool map_has_tag(uint32_t id)
{
	static const uint8_t tag[OVSX_PROG_TAG_LEN] = OVSX_PROG_TAG;
	struct bpf_map_info info;
	uint32_t len = sizeof info, key = 0;
	bool found = false;
	uint8_t *value;
	int fd = bpf_map_get_fd_by_id(id);

	if (fd < 0)
		return false;
	memset(&info, 0, sizeof info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
	    info.type != BPF_MAP_TYPE_ARRAY || info.max_entries != 1 ||
	    !(info.map_flags & BPF_F_RDONLY_PROG) ||
	    info.value_size < sizeof tag || info.value_size > 65536) {
		close(fd);
		return false;
	}
	value = malloc(info.value_size);
	if (value && !bpf_map_lookup_elem(fd, &key, value))
		found = memmem(value, info.value_size, tag, sizeof tag);
	free(value);
	close(fd);
	return found;
}

/* Whether program fd carries OVSX_PROG_TAG in one of its maps: an ovs-xdp
 * fast path, whatever its name (a name can be anyone's). */
static bool prog_has_tag(int fd)
{
	uint32_t ids[64], len;
	struct bpf_prog_info info;

	memset(&info, 0, sizeof info);
	info.nr_map_ids = 64;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	len = sizeof info;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return false;
	for (uint32_t i = 0; i < info.nr_map_ids && i < 64; i++)
		if (map_has_tag(ids[i]))
			return true;
	return false;
}

/* The fd of the program attached to ifindex in 'mode' if it is an
 * ovs-xdp fast path (a previous agent's), else a negative errno. */
static int previous_instance(int ifindex, enum fastpath_mode mode)
{
	uint32_t id = 0;
	int fd;

	if (bpf_xdp_query_id(ifindex, mode_flags(mode), &id) || !id)
		return -ENOENT;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return -errno;
	if (prog_has_tag(fd))
		return fd;
	close(fd);
	return -EBUSY;
}

int fastpath_attach(struct fastpath *fp, int ifindex, enum fastpath_mode mode,
		    bool *adopted)
{
	int flags = mode_flags(mode) | XDP_FLAGS_UPDATE_IF_NOEXIST;
	int err = bpf_xdp_attach(ifindex, prog_fd(fp), (uint32_t)flags, NULL);
	int old;

	*adopted = false;
	/* The kernel says EBUSY (or EEXIST) when a program is there. */
	if (err != -EBUSY && err != -EEXIST)
		return err;
	/* A previous agent's fast path (it died, or was killed) is swapped
	 * for ours in one step, so no frame finds the port without one.
	 * Anyone else's program is left alone. */
	old = previous_instance(ifindex, mode);
	if (old < 0)
		return -EBUSY;
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = old);
	err = bpf_xdp_attach(ifindex, prog_fd(fp),
			     (uint32_t)(mode_flags(mode) | XDP_FLAGS_REPLACE),
			     &opts);
	close(old);
	*adopted = !err;
	return err;
}

bool fastpath_detach_previous(int ifindex)
{
	enum fastpath_mode modes[] = {FASTPATH_NATIVE, FASTPATH_GENERIC};
	bool any = false;

	for (size_t i = 0; i < 2; i++) {
		int old = previous_instance(ifindex, modes[i]);
		LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = old);

		if (old < 0)
			continue;
		any |= !bpf_xdp_detach(
			ifindex,
			(uint32_t)(mode_flags(modes[i]) | XDP_FLAGS_REPLACE),
			&opts);
		close(old);
	}
	return any;
}

int fastpath_detach(struct fastpath *fp, int ifindex, enum fastpath_mode mode)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = prog_fd(fp));

	/* REPLACE with our fd as the expected program: a no-op unless ours
	 * is the one attached. */
	return bpf_xdp_detach(ifindex,
			      (uint32_t)(mode_flags(mode) | XDP_FLAGS_REPLACE),
			      &opts);
}

/* One word, stored at once: a frame reads the old entry or the new. */
static void store_port(struct fastpath *fp, int ifindex,
		       const struct ovsx_port *p)
{
	uint64_t word;

	memcpy(&word, p, sizeof word);
	__atomic_store_n(&fp->ports[ifindex], word, __ATOMIC_RELEASE);
}

int fastpath_set_port(struct fastpath *fp, int ifindex,
		      const struct ovsx_port *p)
{
	struct ovsx_port entry = *p;
	uint32_t key = (uint32_t)ifindex;

	if (ifindex <= 0 || p->stats_id >= OVSX_MAX_PORTS)
		return -EINVAL;
	entry.flags |= OVSX_PORT_ACTIVE;
	if (ifindex < OVSX_PORT_INDEX_LIMIT) {
		store_port(fp, ifindex, &entry);
		return 0;
	}
	return bpf_map_update_elem(bpf_map__fd(fp->skel->maps.ports_far), &key,
				   &entry, BPF_ANY)
		       ? -errno
		       : 0;
}

int fastpath_del_port(struct fastpath *fp, int ifindex)
{
	static const struct ovsx_port none;
	uint32_t key = (uint32_t)ifindex;

	if (ifindex <= 0)
		return -EINVAL;
	if (ifindex < OVSX_PORT_INDEX_LIMIT) {
		store_port(fp, ifindex, &none);
		return 0;
	}
	if (bpf_map_delete_elem(bpf_map__fd(fp->skel->maps.ports_far), &key) &&
	    errno != ENOENT)
		return -errno;
	return 0;
}

int fastpath_set_target(struct fastpath *fp, int ifindex, bool present)
{
	int fd = bpf_map__fd(fp->skel->maps.tx_ports);
	uint32_t key = (uint32_t)ifindex;
	struct bpf_devmap_val v = {.ifindex = (uint32_t)ifindex};

	if (present)
		return bpf_map_update_elem(fd, &key, &v, BPF_ANY) ? -errno : 0;
	if (bpf_map_delete_elem(fd, &key) && errno != ENOENT)
		return -errno;
	return 0;
}

void fastpath_set_keepalive(struct fastpath *fp, uint64_t interval_ns)
{
	__atomic_store_n(&fp->maps.config->keepalive_ns, interval_ns,
			 __ATOMIC_RELEASE);
}

void fastpath_set_heartbeat(struct fastpath *fp, uint64_t deadline_ns)
{
	__atomic_store_n(&fp->maps.config->heartbeat_deadline_ns, deadline_ns,
			 __ATOMIC_RELEASE);
}

void fastpath_set_flags(struct fastpath *fp, uint32_t flags)
{
	__atomic_store_n(&fp->maps.config->flags, flags, __ATOMIC_RELEASE);
}

const struct fp_bpf_maps *fastpath_table_maps(const struct fastpath *fp)
{
	return &fp->maps;
}

uint32_t fastpath_max_flows(const struct fastpath *fp)
{
	return fp->max_flows;
}

uint32_t fastpath_max_masks(const struct fastpath *fp)
{
	return fp->max_masks;
}

int fastpath_read_counters(struct fastpath *fp, uint64_t *out)
{
	int fd = bpf_map__fd(fp->skel->maps.counters);
	struct ovsx_counters *v = fp->percpu;
	uint32_t zero = 0;

	memset(out, 0, OVSX_CTR__MAX * sizeof *out);
	if (bpf_map_lookup_elem(fd, &zero, v))
		return -errno;
	for (int c = 0; c < fp->ncpus; c++)
		for (int i = 0; i < OVSX_CTR__MAX; i++)
			out[i] += v[c].n[i];
	return 0;
}

int fastpath_read_port_stats(struct fastpath *fp, uint32_t stats_id,
			     struct ovsx_port_stats *sum)
{
	int fd = bpf_map__fd(fp->skel->maps.port_stats);
	struct ovsx_port_stats *v = fp->percpu;

	memset(sum, 0, sizeof *sum);
	if (bpf_map_lookup_elem(fd, &stats_id, v))
		return -errno;
	for (int c = 0; c < fp->ncpus; c++) {
		sum->xdp_packets += v[c].xdp_packets;
		sum->xdp_bytes += v[c].xdp_bytes;
		sum->pass_packets += v[c].pass_packets;
		sum->pass_bytes += v[c].pass_bytes;
	}
	return 0;
}
