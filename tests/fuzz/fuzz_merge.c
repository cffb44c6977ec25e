// SPDX-License-Identifier: GPL-2.0-or-later
/* ksplat merge's input: JSON documents claiming to be ksplat's, then the ranking redone. */
#include <unistd.h>

#include "fuzz.h"
#include "ksplat/analyze.h"
#include "ksplat/merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_merge *m = NULL;
	struct ks_dedup *dd = NULL;
	struct ks_render *rd;
	struct ks_render_opts ro = { .version = "fuzz", .width = 80 };
	char path[64], err[256];
	int fd = fuzz_memfd(data, size, path, sizeof(path));
	int r;

	if ((r = ks_merge_new(&m)) < 0 || (r = ks_dedup_new(64, &dd)) < 0)
		fuzz_die("merge", r);
	/* Twice: a second document names inputs the first already did. */
	if (ks_merge_add_file(m, path, dd, err, sizeof(err)) == 0)
		ks_merge_add_file(m, path, dd, err, sizeof(err));
	ro.inputs = ks_merge_inputs(m, &ro.ninputs);
	/* The size picks the output format: mutations reach every renderer. */
	ro.format = (enum ks_format)(size % _KS_FORMAT_MAX);
	if ((r = ks_render_new(&ro, fuzz_null(), &rd)) < 0)
		fuzz_die("ks_render_new", r);
	if (ks_render_is_streaming(rd)) {
		const struct ks_dedup_entry *const *ranked;
		size_t n = ks_dedup_ranked(dd, &ranked);

		for (size_t i = 0; i < n; i++)
			ks_render_report(rd, ranked[i]->first);
	} else {
		ks_render_summary(rd, dd);
	}
	ks_render_free(rd);
	ks_dedup_free(dd);
	ks_merge_free(m);
	close(fd);
	return 0;
}
