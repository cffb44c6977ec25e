// SPDX-License-Identifier: GPL-2.0-or-later
#include "fuzz.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ksplat/analyze.h"
#include "ksplat/assemble.h"
#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/source.h"
#include "ksplat/syztitle.h"

/* Small limits, so that inputs of a few KiB reach them. */
static const struct ks_assemble_limits fuzz_limits = {
	.max_open = 4, .max_lines = 64, .arena_cap = 16 * 1024, .gap_ns = UINT64_C(10000000000),
};

void fuzz_die(const char *what, int err)
{
	fprintf(stderr, "fuzz harness: %s: %s\n", what, strerror(err < 0 ? -err : err));
	abort();
}

int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		fuzz_die("memfd_create", errno);
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			fuzz_die("write", errno);
		done += (size_t)n;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

FILE *fuzz_null(void)
{
	static FILE *null;

	if (!null && !(null = fopen("/dev/null", "w")))
		fuzz_die("/dev/null", errno);
	return null;
}

/* Built once: compiling the pattern sets is what a run does once. */
struct fuzz_shared {
	struct ks_detect *detect;
	struct ks_syz *syz;
};

static struct fuzz_shared *shared(void)
{
	static struct fuzz_shared sh;
	int r;

	if (!sh.detect && ((r = ks_detect_new(&sh.detect)) < 0 || (r = ks_syz_new(&sh.syz)) < 0))
		fuzz_die("pattern sets", r);
	return &sh;
}

struct fuzz_run {
	struct ks_envelope *env;
	struct ks_assemble *as;
	struct ks_sym *sym;
	struct ks_dedup *dedup;
	struct ks_render *render;
};

static void drain(struct fuzz_run *run, struct ks_syz *syz)
{
	struct ks_report *r;

	while ((r = ks_assemble_pop(run->as))) {
		ks_sym_resolve_report(run->sym, r);
		if (ks_analyze_report(syz, r) < 0) {
			ks_report_free(r);
			continue;
		}
		ks_sym_add_source(run->sym, r);
		if (ks_render_is_streaming(run->render)) {
			ks_render_report(run->render, r);
			ks_report_free(r);
		} else {
			ks_dedup_add(run->dedup, r);
		}
	}
}

static size_t skip_lines(const void *detect, const char *text, size_t len, bool *ret_found)
{
	return ks_detect_skip(detect, text, len, ret_found);
}

static void feed(struct fuzz_run *run, struct ks_syz *syz, const struct ks_detect *sh_detect,
		 struct ks_source *src)
{
	struct ks_raw raw;
	struct ks_line line;

	for (;;) {
		/* As ksplat does: between reports, lines that cannot start one go unread. */
		if (ks_assemble_idle(run->as) && ks_source_skip(src, skip_lines, sh_detect) > 0)
			ks_envelope_break(run->env);
		if (ks_source_read(src, &raw) <= 0)
			break;
		ks_envelope_feed(run->env, raw.p, raw.len, raw.lineno, raw.cut);
		while (ks_envelope_next(run->env, &line)) {
			if (line.len && line.text[0] == 'K')
				ks_sym_note_line(run->sym, 0, line.text, line.len);
			ks_assemble_feed(run->as, &line, 0, "fuzz");
		}
		drain(run, syz);
	}
	ks_assemble_flush(run->as);
	drain(run, syz);
}

/* The output format is the input's last byte, so one corpus reaches every renderer. */
static enum ks_format pick_format(const uint8_t *data, size_t size)
{
	return size ? (enum ks_format)(data[size - 1] % _KS_FORMAT_MAX) : KS_FORMAT_TEXT;
}

void fuzz_pipeline(const struct fuzz_setup *s, const uint8_t *data, size_t size)
{
	static const char *const names[] = { "fuzz" };
	static const struct ks_sym_config nosym = { 0 };
	struct fuzz_shared *sh = shared();
	struct ks_source_opts so = { .max_line = 4096 };
	struct ks_render_opts ro = {
		.format = pick_format(data, size), .version = "fuzz", .inputs = names, .ninputs = 1,
		.width = 80, .color = size > 1 && (data[size - 2] & 1),
	};
	struct fuzz_run run = { 0 };
	struct ks_source *src = NULL;
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));
	int r;

	if ((r = ks_envelope_new(so.max_line, &run.env)) < 0 ||
	    (r = ks_assemble_new(&fuzz_limits, sh->detect, &run.as)) < 0 ||
	    (r = ks_dedup_new(64, &run.dedup)) < 0 ||
	    (r = ks_render_new(&ro, fuzz_null(), &run.render)) < 0 ||
	    (r = ks_sym_new(s->sym ? s->sym : &nosym, &run.sym)) < 0)
		fuzz_die("pipeline", r);
	r = s->source == FUZZ_KMSG ? ks_source_open_kmsg(path, &so, &src)
				   : ks_source_open_file(path, &so, &src);
	if (r >= 0)
		feed(&run, sh->syz, sh->detect, src);
	ks_render_summary(run.render, run.dedup);
	ks_source_free(src);
	ks_sym_free(run.sym);
	ks_render_free(run.render);
	ks_dedup_free(run.dedup);
	ks_assemble_free(run.as);
	ks_envelope_free(run.env);
	close(fd);
}
