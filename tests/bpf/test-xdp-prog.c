/* The real XDP program, run on this machine's kernel through
 * bpf_prog_test_run_opts(): verdicts, output bytes and counters. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <stdlib.h>
#include <unistd.h>

#include "ovs-xdp-abi.h"
#include "ovs_xdp.skel.h"
#include "test.h"

static struct ovs_xdp *skel;

static void load_or_skip(void)
{
	int err;

	if (skel)
		return;
	if (geteuid() != 0)
		test_skip_all("needs root to load BPF programs");
	skel = ovs_xdp__open_and_load();
	if (!skel) {
		err = -errno;
		if (err == -EPERM || err == -ENOSYS || err == -EOPNOTSUPP)
			test_skip_all("kernel refuses BPF programs: %s",
				      strerror(-err));
		test_fail(__FILE__, __LINE__, "cannot load: %s", strerror(-err));
		exit(1);
	}
}

static uint64_t counter(enum ovsx_counter idx)
{
	int ncpu = libbpf_num_possible_cpus();
	struct ovsx_counter_val *vals = calloc((size_t)ncpu, sizeof *vals);
	uint32_t key = idx;
	uint64_t sum = 0;

	if (!bpf_map_lookup_elem(bpf_map__fd(skel->maps.counters), &key, vals))
		for (int i = 0; i < ncpu; i++)
			sum += vals[i].value;
	free(vals);
	return sum;
}

/* Runs the program once on 'len' bytes; returns the XDP verdict and leaves
 * the output frame in out/out_len. */
static int run(const void *frame, size_t len, void *out, uint32_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = *out_len, .repeat = 1);
	int err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.ovs_xdp_main),
					 &opts);

	CHECK_INT(err, 0);
	*out_len = opts.data_size_out;
	return (int)opts.retval;
}

TEST(passes_frames_unmodified_and_counts)
{
	uint8_t frame[64], out[256];
	uint32_t out_len = sizeof out;
	uint64_t rx0, pass0, bytes0;

	load_or_skip();
	for (size_t i = 0; i < sizeof frame; i++)
		frame[i] = (uint8_t)(i * 7);
	rx0 = counter(OVSX_CTR_RX_PACKETS);
	pass0 = counter(OVSX_CTR_PASS_PACKETS);
	bytes0 = counter(OVSX_CTR_RX_BYTES);
	CHECK_INT(run(frame, sizeof frame, out, &out_len), XDP_PASS);
	CHECK_INT(out_len, sizeof frame);
	CHECK_MEM(out, frame, sizeof frame);
	CHECK_INT(counter(OVSX_CTR_RX_PACKETS) - rx0, 1);
	CHECK_INT(counter(OVSX_CTR_PASS_PACKETS) - pass0, 1);
	CHECK_INT(counter(OVSX_CTR_RX_BYTES) - bytes0, sizeof frame);
}

/* bpf_prog_test_run refuses XDP frames shorter than an Ethernet header
 * (EINVAL), so the shortest frame the program can be shown is 14 bytes. */
TEST(bare_ethernet_header_is_passed)
{
	uint8_t frame[ETH_HLEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2,
				   3,    4,    5,    6,    0x88, 0xb5};
	uint8_t out[64];
	uint32_t out_len = sizeof out;

	load_or_skip();
	CHECK_INT(run(frame, sizeof frame, out, &out_len), XDP_PASS);
	CHECK_INT(out_len, sizeof frame);
	CHECK_MEM(out, frame, sizeof frame);
}
