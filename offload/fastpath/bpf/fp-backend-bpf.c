/* The fast-path backend over the maps of the loaded XDP program (see
 * include/fp-backend.h and the update protocol in include/ovs-xdp-abi.h). */
#include "fp-backend-bpf.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"

struct bpf_backend {
	struct fp_backend base;
	struct fp_bpf_maps maps;
	int ncpus;
	struct ovsx_flow_stats *percpu; /* scratch: one value per CPU */
};

static struct bpf_backend *bb(struct fp_backend *b)
{
	return CONTAINER_OF(b, struct bpf_backend, base);
}

static int errno_of(int ret)
{
	return ret < 0 ? -errno : 0;
}

static int bpf_set_mask(struct fp_backend *b, uint32_t id,
			const struct ovsx_mask *m)
{
	return errno_of(
		bpf_map_update_elem(bb(b)->maps.masks, &id, m, BPF_ANY));
}

static int bpf_set_n_masks(struct fp_backend *b, uint32_t n)
{
	__atomic_store_n(&bb(b)->maps.config->n_masks, n, __ATOMIC_RELEASE);
	return 0;
}

static int bpf_write_slot(struct fp_backend *b, uint32_t slot,
			  const struct ovsx_actions *a)
{
	struct bpf_backend *x = bb(b);
	struct ovsx_keepalive ka = {0};
	int err;

	/* Statistics and keepalive first: the slot is not referenced yet. */
	memset(x->percpu, 0, sizeof *x->percpu * (size_t)x->ncpus);
	err = errno_of(bpf_map_update_elem(x->maps.flow_stats, &slot, x->percpu,
					   BPF_ANY));
	if (!err)
		err = errno_of(bpf_map_update_elem(x->maps.keepalive, &slot,
						   &ka, BPF_ANY));
	if (!err)
		err = errno_of(bpf_map_update_elem(x->maps.actions, &slot, a,
						   BPF_ANY));
	return err;
}

static int bpf_put_flow(struct fp_backend *b, const struct ovsx_flow_key *k,
			uint32_t slot)
{
	struct ovsx_flow_ref ref = {.slot = slot};

	return errno_of(
		bpf_map_update_elem(bb(b)->maps.flows, k, &ref, BPF_ANY));
}

static int bpf_del_flow(struct fp_backend *b, const struct ovsx_flow_key *k)
{
	return errno_of(bpf_map_delete_elem(bb(b)->maps.flows, k));
}

static int bpf_set_group(struct fp_backend *b, uint32_t id, const int *ifindex,
			 size_t n)
{
	int fd, err;
	uint32_t key, next;

	if (id >= OVSX_MAX_GROUPS)
		return -E2BIG;
	fd = bb(b)->maps.groups[id];
	/* The group is unused while being (re)filled: empty it first. */
	while (!bpf_map_get_next_key(fd, NULL, &next))
		if (bpf_map_delete_elem(fd, &next))
			return -errno;
	for (size_t i = 0; i < n; i++) {
		struct bpf_devmap_val v = {.ifindex = (uint32_t)ifindex[i]};

		key = (uint32_t)ifindex[i];
		err = errno_of(bpf_map_update_elem(fd, &key, &v, BPF_ANY));
		if (err)
			return err;
	}
	return 0;
}

static int bpf_bump_generation(struct fp_backend *b)
{
	__atomic_add_fetch(&bb(b)->maps.config->generation, 1,
			   __ATOMIC_RELEASE);
	return 0;
}

static int bpf_read_stats(struct fp_backend *b, uint32_t slot,
			  struct ovsx_flow_stats *sum)
{
	struct bpf_backend *x = bb(b);

	memset(sum, 0, sizeof *sum);
	if (bpf_map_lookup_elem(x->maps.flow_stats, &slot, x->percpu))
		return -errno;
	for (int i = 0; i < x->ncpus; i++) {
		sum->packets += x->percpu[i].packets;
		sum->bytes += x->percpu[i].bytes;
		sum->tcp_flags |= x->percpu[i].tcp_flags;
		if (x->percpu[i].used_ns > sum->used_ns)
			sum->used_ns = x->percpu[i].used_ns;
	}
	return 0;
}

static const struct fp_backend_ops bpf_ops = {
	.set_mask = bpf_set_mask,
	.set_n_masks = bpf_set_n_masks,
	.write_slot = bpf_write_slot,
	.put_flow = bpf_put_flow,
	.del_flow = bpf_del_flow,
	.set_group = bpf_set_group,
	.bump_generation = bpf_bump_generation,
	.read_stats = bpf_read_stats,
};

struct fp_backend *fp_bpf_create(const struct fp_bpf_maps *maps,
				 uint32_t max_flows, uint32_t max_masks)
{
	struct bpf_backend *x = calloc(1, sizeof *x);

	if (!x)
		return NULL;
	x->ncpus = libbpf_num_possible_cpus();
	if (x->ncpus <= 0) {
		errno = x->ncpus ? -x->ncpus : EINVAL;
		free(x);
		return NULL;
	}
	x->percpu = calloc((size_t)x->ncpus, sizeof *x->percpu);
	if (!x->percpu) {
		free(x);
		errno = ENOMEM;
		return NULL;
	}
	x->maps = *maps;
	x->base.ops = &bpf_ops;
	x->base.max_flows = max_flows;
	x->base.max_masks = max_masks;
	return &x->base;
}

void fp_bpf_destroy(struct fp_backend *b)
{
	if (!b)
		return;
	free(bb(b)->percpu);
	free(bb(b));
}
