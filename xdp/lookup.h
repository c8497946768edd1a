/* Key -> flow slot: a per-CPU exact-match cache in front of a tuple-space
 * search over the kernel's megaflow masks.
 *
 * The cache has two ways per set, so that two flows whose keys share a set
 * do not evict each other on every frame (direct-mapped, 1000 flows in
 * 4096 entries hit only 75% of the time: a fifth of them collide).  It is
 * never invalidated entry by entry: every flow table change bumps
 * config.generation, which makes all entries stale at once.  The search
 * probes flows[{mask id, key & mask}] for each active mask; megaflows do
 * not overlap (ovs-vswitchd sees to it), so the first hit is the only one. */
#ifndef OVSX_XDP_LOOKUP_H
#define OVSX_XDP_LOOKUP_H

#include "maps.h"
#include "stats.h"

#define OVSX_KEY_WORDS ((int)(sizeof(struct ovsx_key) / sizeof(__u64)))

/* Four lanes of key words, each folded by a multiply, the lanes keeping
 * the 5-tuple fields apart so that they cannot cancel each other out.  A
 * product's high bits depend only on the lane's bits at or below them, so
 * fields in a word's top bytes (the ports, in network order) would reach
 * few index bits: a final shift-multiply-shift spreads every bit over the
 * result (1000 flows differing only in their destination port used to fall
 * into 512 buckets).  The top 12 bits pick the set, the next one the way a
 * miss replaces when both are in use. */
static __always_inline __u32 emc_hash(const struct ovsx_key *key)
{
	const __u64 *w = (const __u64 *)key;
	__u64 a = w[0] ^ w[4] ^ w[12];	     /* in_port, eth_src, nw_src[0] */
	__u64 b = w[1] ^ w[6] ^ w[11];	     /* eth_dst, nw_dst[0] */
	__u64 c = w[2] ^ w[8] ^ w[10];	     /* VLANs, ports */
	__u64 d = w[3] ^ w[5] ^ w[7] ^ w[9]; /* type, proto, IPv6 */
	__u64 h = a * 0x9e3779b97f4a7c15ULL ^ b * 0xc2b2ae3d27d4eb4fULL ^
		  c * 0x165667b19e3779f9ULL ^ d * 0xd6e8feb86659fd93ULL;

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return h >> 51;
}

#define EMC_SET(hash)	 ((hash) >> 1)
#define EMC_VICTIM(hash) ((hash)&1)

_Static_assert(OVSX_EMC_SETS == 1 << 12, "emc_hash() has 12 bits of set");
_Static_assert(OVSX_EMC_WAYS == 2, "emc_hash() has 1 bit of way");
_Static_assert(sizeof(struct ovsx_key) == 13 * sizeof(__u64),
	       "emc_hash() covers 13 key words");

static __always_inline bool key_equal(const struct ovsx_key *x,
				      const struct ovsx_key *y)
{
	const __u64 *a = (const __u64 *)x, *b = (const __u64 *)y;
	__u64 diff = 0;

#pragma unroll
	for (int i = 0; i < OVSX_KEY_WORDS; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

static __always_inline bool emc_holds(const struct ovsx_emc_entry *e,
				      const struct ovsx_key *key,
				      __u64 generation)
{
	return e->generation == generation && key_equal(&e->key, key);
}

/* The slot of 'key' in the cache, or -1; on a miss, *victim is the entry
 * to fill (a stale way first). */
static __always_inline int emc_lookup(const struct ovsx_key *key,
				      __u64 generation,
				      struct ovsx_emc_entry **victim)
{
	__u32 h = emc_hash(key), set = EMC_SET(h);
	struct ovsx_emc_set *s = bpf_map_lookup_elem(&emc, &set);

	*victim = NULL;
	if (!s)
		return -1;
	if (emc_holds(&s->way[0], key, generation))
		return s->way[0].slot;
	if (emc_holds(&s->way[1], key, generation))
		return s->way[1].slot;
	if (s->way[0].generation != generation)
		*victim = &s->way[0];
	else if (s->way[1].generation != generation)
		*victim = &s->way[1];
	else
		*victim = &s->way[EMC_VICTIM(h)];
	return -1;
}

static __always_inline void emc_fill(struct ovsx_emc_entry *e,
				     const struct ovsx_key *key,
				     __u64 generation, __u32 slot)
{
	e->key = *key;
	e->slot = slot;
	e->generation = generation;
}

struct tss_walk {
	const struct ovsx_key *key;
	struct ovsx_flow_key fk;
	__u32 probes;
	int slot;
};

/* One mask of the search; 1 stops the walk. */
static int tss_probe(__u32 i, struct tss_walk *w)
{
	const struct ovsx_mask *m = bpf_map_lookup_elem(&masks, &i);
	const __u64 *k = (const __u64 *)w->key;
	__u64 *fk = (__u64 *)&w->fk.key;
	struct ovsx_flow_ref *ref;
	const __u64 *mw;

	if (!m)
		return 1;
	if (!m->active)
		return 0;
	mw = (const __u64 *)&m->mask;
#pragma unroll
	for (int j = 0; j < OVSX_KEY_WORDS; j++)
		fk[j] = k[j] & mw[j];
	w->fk.mask_id = i;
	w->probes++;
	ref = bpf_map_lookup_elem(&flows, &w->fk);
	if (!ref)
		return 0;
	w->slot = ref->slot;
	return 1;
}

/* The tuple-space search over masks[0..n_masks); returns the slot or -1,
 * and the number of masks probed in *probes.  bpf_loop() has the verifier
 * check one probe, not 256 of them; a global function, so it is checked
 * once, not once per way of reaching it. */
__attribute__((noinline)) int ovsx_tss_lookup(const struct ovsx_key *key,
					      __u32 n_masks, __u32 *probes)
{
	struct tss_walk w = {.key = key, .slot = -1};

	if (!key || !probes)
		return -1;
	if (n_masks > OVSX_MAX_MASKS_LIMIT)
		n_masks = OVSX_MAX_MASKS_LIMIT;
	bpf_loop(n_masks, tss_probe, &w, 0);
	*probes = w.probes;
	return w.slot;
}

/* The flow slot for 'key', or -1: the cache first, then the search, whose
 * answer then fills the cache. */
static __always_inline int flow_lookup(const struct ovsx_key *key,
				       const struct ovsx_config *cfg,
				       struct ovsx_counters *ctr)
{
	__u64 generation = cfg->generation;
	struct ovsx_emc_entry *e = NULL;
	__u32 probes = 0;
	int slot = -1;

	if (!(cfg->flags & OVSX_CFG_NO_EMC))
		slot = emc_lookup(key, generation, &e);
	if (slot >= 0) {
		count(ctr, OVSX_CTR_EMC_HITS, 1);
		return slot;
	}
	slot = ovsx_tss_lookup(key, cfg->n_masks, &probes);
	count(ctr, OVSX_CTR_MASK_PROBES, probes);
	if (slot >= 0 && e)
		emc_fill(e, key, generation, slot);
	return slot;
}

#endif
