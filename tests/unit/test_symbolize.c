// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbolization against a small ELF with DWARF that the build makes and runs
 * (tests/fixtures/sym): its fake kernel log holds the same call chain three
 * times, named ("func+off/size"), raw ("0xADDR" after a "Kernel Offset:"
 * line) and old style ("[<ADDR>] func+off/size" mixed with bare addresses).
 * The truth (fix.truth) is what the compiler recorded with __LINE__ while
 * the chain ran; nothing here is typed in by hand.
 */
#include "unit.h"

#include <errno.h>
#include <stdbool.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksplat/assemble.h"
#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/report.h"
#include "ksplat/symbolize.h"
#include "ksplat/util.h"

#define MAX_REPORTS 4
#define MAX_TRUTH 32

struct truth {
	char report;      /* 'a', 'b', 'c' */
	int frame;        /* trace index, -1 for the lock site */
	char func[64];
	char module[32];  /* "" for the kernel */
	char file[64];    /* base name */
	unsigned line;
	char inl_func[64]; /* "" when nothing is inlined there */
	unsigned inl_line;
};

struct fx {
	const char *dir; /* $KSPLAT_FIXTURE */
	struct truth truth[MAX_TRUTH];
	size_t ntruth;
	char warnings[4096];
};

static void collect_warning(void *ctx, const char *msg)
{
	struct fx *f = ctx;
	size_t n = strlen(f->warnings);

	snprintf(f->warnings + n, sizeof(f->warnings) - n, "%s\n", msg);
}

static void path(const struct fx *f, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", f->dir, name);
}

static void read_truth(struct fx *f)
{
	char p[512], line[512];
	FILE *in;

	path(f, "fix.truth", p, sizeof(p));
	in = fopen(p, "r");
	assert_non_null(in);
	assert_non_null(fgets(line, sizeof(line), in)); /* header */
	while (fgets(line, sizeof(line), in) && f->ntruth < MAX_TRUTH) {
		struct truth *t = &f->truth[f->ntruth];
		char frame[16], form[16], addr[32], module[32], off[32], size[32], inl_line[16];

		assert_int_equal(sscanf(line, "%c %15s %15s %31s %63s %31s %31s %31s %63s %u %63s %15s",
					&t->report, frame, form, addr, t->func, module, off, size,
					t->file, &t->line, t->inl_func, inl_line),
				 12);
		t->frame = strcmp(frame, "lock") == 0 ? -1 : atoi(frame);
		snprintf(t->module, sizeof(t->module), "%s", strcmp(module, "-") ? module : "");
		if (strcmp(t->inl_func, "-") == 0)
			t->inl_func[0] = '\0';
		t->inl_line = (unsigned)atoi(inl_line);
		f->ntruth++;
	}
	fclose(in);
	assert_int_equal(f->ntruth, 18); /* 3 reports x (5 frames + the lock site) */
}

static int setup(void **state)
{
	static struct fx f;

	f.dir = getenv("KSPLAT_FIXTURE");
	*state = &f;
	return 0;
}

static void need_fixture(struct fx *f)
{
	if (!f->dir) {
		fprintf(stderr, "skipped: KSPLAT_FIXTURE is not set (run through make unit)\n");
		skip();
	}
	if (!f->ntruth)
		read_truth(f);
	f->warnings[0] = '\0';
}

/*
 * Feed fix.log through the pipeline up to symbolization; @skip_offset drops
 * "Kernel Offset:", @from (if not NULL) drops the lines before the first that holds it.
 */
static size_t run_file(struct fx *f, struct ks_sym *s, const char *log, bool skip_offset,
		       const char *from, struct ks_report **out)
{
	struct ks_assemble_limits lim = {
		.max_open = 32, .max_lines = 1000, .arena_cap = 256 * 1024, .gap_ns = UINT64_C(10000000000),
	};
	struct ks_envelope *env;
	struct ks_detect *det;
	struct ks_assemble *as;
	struct ks_report *r;
	char raw[1024];
	uint64_t lineno = 0;
	size_t n = 0;
	FILE *in;

	(void)f;
	assert_non_null(in = fopen(log, "r"));
	assert_int_equal(ks_envelope_new(4096, &env), 0);
	assert_int_equal(ks_detect_new(&det), 0);
	assert_int_equal(ks_assemble_new(&lim, det, &as), 0);
	while (fgets(raw, sizeof(raw), in)) {
		struct ks_line l;

		raw[strcspn(raw, "\n")] = '\0';
		if (from && !strstr(raw, from))
			continue;
		from = NULL;
		if (skip_offset && strstr(raw, "Kernel Offset:"))
			continue;
		ks_envelope_feed(env, raw, strlen(raw), ++lineno, false);
		while (ks_envelope_next(env, &l)) {
			ks_sym_note_line(s, 0, l.text, l.len);
			assert_int_equal(ks_assemble_feed(as, &l, 0, "fix.log"), 0);
		}
		while ((r = ks_assemble_pop(as))) {
			assert_true(n < MAX_REPORTS);
			ks_sym_resolve_report(s, r);
			out[n++] = r;
		}
	}
	ks_assemble_flush(as);
	while ((r = ks_assemble_pop(as))) {
		assert_true(n < MAX_REPORTS);
		ks_sym_resolve_report(s, r);
		out[n++] = r;
	}
	fclose(in);
	ks_assemble_free(as);
	ks_detect_free(det);
	ks_envelope_free(env);
	return n;
}

static size_t run_log_from(struct fx *f, struct ks_sym *s, bool skip_offset, const char *from,
			   struct ks_report **out)
{
	char p[512];

	path(f, "fix.log", p, sizeof(p));
	return run_file(f, s, p, skip_offset, from, out);
}

static size_t run_log(struct fx *f, struct ks_sym *s, bool skip_offset, struct ks_report **out)
{
	return run_log_from(f, s, skip_offset, NULL, out);
}

static void free_reports(struct ks_report **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ks_report_free(v[i]);
}

static struct ks_sym *open_sym(struct fx *f, const char *vmlinux, const char *modules,
			       const char *system_map, const char *kallsyms)
{
	char pv[512], pm[512], ps[512], pk[512];
	struct ks_sym_config cfg = { .warn = collect_warning, .warn_ctx = f };
	struct ks_sym *s = NULL;

	if (vmlinux)
		path(f, vmlinux, pv, sizeof(pv)), cfg.vmlinux = pv;
	if (modules)
		path(f, modules, pm, sizeof(pm)), cfg.modules_dir = pm;
	if (system_map)
		path(f, system_map, ps, sizeof(ps)), cfg.system_map = ps;
	if (kallsyms)
		path(f, kallsyms, pk, sizeof(pk)), cfg.kallsyms = pk;
	if (ks_sym_new(&cfg, &s) < 0)
		fail_msg("ks_sym_new: %s", ks_sym_error(s));
	return s;
}

static const struct ks_frame *truth_frame(const struct ks_report *r, const struct truth *t)
{
	if (t->frame >= 0) {
		assert_true((uint32_t)t->frame < r->trace.n);
		return &r->trace.v[t->frame];
	}
	assert_int_equal(r->held.n, 1);
	assert_true(r->held.v[0].has_at);
	return &r->held.v[0].at;
}

static const char *base(const char *p)
{
	const char *slash = strrchr(p, '/');

	return slash ? slash + 1 : p;
}

/* Report @which: every frame named as the truth says, and with @lines, its file:line too. */
static void assert_report(const struct fx *f, const struct ks_report *r, char which, bool lines)
{
	for (size_t i = 0; i < f->ntruth; i++) {
		const struct truth *t = &f->truth[i];
		const struct ks_frame *fr;

		if (t->report != which)
			continue;
		fr = truth_frame(r, t);
		assert_non_null(fr->func);
		assert_string_equal(fr->func, t->func);
		assert_string_equal(fr->module ? fr->module : "", t->module);
		if (!lines) {
			assert_null(fr->file);
			continue;
		}
		if (!fr->file)
			fail_msg("report %c frame %d (%s): no file:line", which, t->frame, t->func);
		assert_string_equal(base(fr->file), t->file);
		assert_int_equal(fr->line, t->line);
		if (t->frame < 0)
			continue; /* the lock site: only its line matters */
		if (!t->inl_func[0]) {
			assert_int_equal(fr->ninlined, 0);
			continue;
		}
		/* Innermost first: fix_alloc's call of fake_kmalloc, inlined into culprit_fn. */
		assert_int_equal(fr->ninlined, 1);
		assert_string_equal(fr->inlined[0].func, t->inl_func);
		assert_int_equal(fr->inlined[0].line, t->inl_line);
	}
}

static void test_named_frames(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	s = open_sym(f, "symfix", "mod", NULL, NULL);
	n = run_log(f, s, false, r);
	assert_int_equal(n, 3);
	assert_report(f, r[0], 'a', true);
	assert_string_equal(f->warnings, "");
	free_reports(r, n);
	ks_sym_free(s);
}

static void test_raw_frames_kernel_offset_and_kallsyms(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	/* "Kernel Offset:" names the kernel's addresses, kallsyms the module's. */
	s = open_sym(f, "symfix", "mod", NULL, "kallsyms");
	n = run_log(f, s, false, r);
	assert_int_equal(n, 3);
	assert_report(f, r[1], 'b', true);
	assert_report(f, r[2], 'c', true);
	free_reports(r, n);
	ks_sym_free(s);
}

static void test_raw_frames_without_kallsyms(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	s = open_sym(f, "symfix", "mod", NULL, NULL);
	n = run_log(f, s, false, r);
	assert_int_equal(n, 3);
	/* The kernel's frames through the offset; nothing says where the module was. */
	for (size_t i = 0; i < f->ntruth; i++) {
		const struct truth *t = &f->truth[i];
		const struct ks_frame *fr;

		if (t->report != 'b')
			continue;
		fr = truth_frame(r[1], t);
		if (t->module[0]) {
			assert_null(fr->func);
			continue;
		}
		assert_string_equal(fr->func, t->func);
		assert_string_equal(base(fr->file), t->file);
		assert_int_equal(fr->line, t->line);
	}
	free_reports(r, n);
	ks_sym_free(s);
}

static void test_offsets_learnt_from_named_frames(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	/* No "Kernel Offset:", no kallsyms: report c's "[<addr>] func" frames teach both offsets. */
	s = open_sym(f, "symfix", "mod", NULL, NULL);
	n = run_log(f, s, true, r);
	assert_int_equal(n, 3);
	assert_null(r[1]->trace.v[0].func); /* b comes before anything was learnt */
	assert_report(f, r[2], 'c', true);
	free_reports(r, n);
	ks_sym_free(s);
}

static void test_system_map_names_only(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	s = open_sym(f, NULL, NULL, "System.map", "kallsyms");
	n = run_log(f, s, false, r);
	assert_int_equal(n, 3);
	assert_report(f, r[1], 'b', false);
	free_reports(r, n);
	ks_sym_free(s);
}

static void test_without_aranges(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	/* clang writes no .debug_aranges: the compile units are found by their ranges. */
	s = open_sym(f, "symfix-noaranges", "mod", NULL, NULL);
	n = run_log(f, s, false, r);
	assert_int_equal(n, 3);
	assert_report(f, r[0], 'a', true);
	free_reports(r, n);
	ks_sym_free(s);
}

static void assert_no_lines(const struct ks_report *r)
{
	for (uint32_t i = 0; i < r->trace.n; i++)
		assert_null(r->trace.v[i].file);
	for (uint32_t i = 0; i < r->held.n; i++)
		assert_null(r->held.v[i].at.file);
}

static void test_other_build_gives_no_lines(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	s = open_sym(f, "symfix-other", "mod-other", NULL, NULL);
	n = run_log(f, s, false, r);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_no_lines(r[i]);
	/* Raw frames are not named from the wrong symbols either. */
	assert_null(r[1]->trace.v[0].func);
	assert_non_null(strstr(f->warnings, "symfix-other: "));
	assert_non_null(strstr(f->warnings, "symmod.ko: "));
	assert_non_null(strstr(f->warnings, "another build"));
	free_reports(r, n);
	ks_sym_free(s);
}

static void test_other_build_raw_frames(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	struct ks_sym *s;
	size_t n;

	need_fixture(f);
	/* Bare addresses first: nothing named has shown the files to be wrong yet. */
	s = open_sym(f, "symfix-other", "mod-other", NULL, NULL);
	n = run_log_from(f, s, false, "Kernel Offset:", r);
	assert_int_equal(n, 2);
	/* Its return addresses land after no call in that file: none is named. */
	for (uint32_t i = 0; i < r[0]->trace.n; i++)
		assert_null(r[0]->trace.v[i].func);
	assert_non_null(strstr(f->warnings, "follow no call"));
	free_reports(r, n);
	ks_sym_free(s);
}

static void test_missing_module(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	char empty[] = "/tmp/ksplat-nomod-XXXXXX", pv[512];
	struct ks_sym_config cfg = { .vmlinux = pv, .modules_dir = empty,
				     .warn = collect_warning, .warn_ctx = f };
	struct ks_sym *s = NULL;
	size_t n;

	need_fixture(f);
	assert_non_null(mkdtemp(empty));
	path(f, "symfix", pv, sizeof(pv));
	assert_int_equal(ks_sym_new(&cfg, &s), 0);
	n = run_log(f, s, false, r);
	assert_int_equal(n, 3);
	/* Kernel frames still resolve; module frames keep their names, and the user is told. */
	assert_non_null(r[0]->trace.v[0].file);
	assert_null(r[0]->trace.v[1].file);
	assert_string_equal(r[0]->trace.v[1].func, "culprit_fn");
	assert_non_null(strstr(f->warnings, "no symmod.ko under"));
	free_reports(r, n);
	ks_sym_free(s);
	rmdir(empty);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* mkdir -p of @root/@rel's directories. */
static void make_dirs(const char *root, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (char *slash = p + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(p, 0755);
		*slash = '/';
	}
}

static void test_host_files_when_release_matches(void **state)
{
	static const char *const files[][2] = {
		{ "symfix", "usr/lib/debug/boot/vmlinux-6.1.0-symfix" },
		{ "symmod.ko", "lib/modules/6.1.0-symfix/extra/symmod.ko" },
	};
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	char root[] = "/tmp/ksplat-host-XXXXXX", from[512], to[512];
	struct ks_sym_config cfg = { .host_root = root, .warn = collect_warning, .warn_ctx = f };
	struct ks_sym *s = NULL;
	size_t n;

	need_fixture(f);
	assert_non_null(mkdtemp(root));
	for (size_t i = 0; i < KS_ARRAY_SIZE(files); i++) {
		make_dirs(root, files[i][1]);
		path(f, files[i][0], from, sizeof(from));
		snprintf(to, sizeof(to), "%s/%s", root, files[i][1]);
		copy_file(from, to);
	}
	/* Another release running: the host's files say nothing about this log. */
	cfg.host_release = "6.1.0-other";
	assert_int_equal(ks_sym_new(&cfg, &s), 0);
	n = run_log(f, s, false, r);
	assert_null(r[0]->trace.v[0].file);
	free_reports(r, n);
	ks_sym_free(s);
	/* The log's release is the running one (CPU: line): its debug vmlinux and modules. */
	cfg.host_release = "6.1.0-symfix";
	assert_int_equal(ks_sym_new(&cfg, &s), 0);
	n = run_log(f, s, false, r);
	assert_report(f, r[0], 'a', true);
	free_reports(r, n);
	ks_sym_free(s);
	for (size_t i = 0; i < KS_ARRAY_SIZE(files); i++) {
		char dir[512];

		snprintf(to, sizeof(to), "%s/%s", root, files[i][1]);
		unlink(to);
		/* rmdir the parents up to the root; they are empty now. */
		for (char *slash; (slash = strrchr(to, '/')) && slash > to + strlen(root); ) {
			*slash = '\0';
			snprintf(dir, sizeof(dir), "%s", to);
			rmdir(dir);
		}
	}
	rmdir(root);
}

/* The GNU build id of @file in hex. */
static void read_buildid(const char *file, char *hex, size_t size)
{
	int fd = open(file, O_RDONLY);
	Elf *elf;
	const unsigned char *bits;
	ssize_t n;

	assert_true(fd >= 0);
	elf_version(EV_CURRENT);
	assert_non_null(elf = elf_begin(fd, ELF_C_READ, NULL));
	n = dwelf_elf_gnu_build_id(elf, (const void **)&bits);
	assert_true(n > 0 && (size_t)n * 2 < size);
	for (ssize_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", bits[i]);
	elf_end(elf);
	close(fd);
}

static void test_module_by_buildid(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[MAX_REPORTS];
	char dir[] = "/tmp/ksplat-bid-XXXXXX", id[129], p[600], debug[600], log[600], line[1024];
	struct ks_sym_config cfg = { .modules_dir = dir, .warn = collect_warning, .warn_ctx = f };
	struct ks_sym *s = NULL;
	FILE *in, *out;
	size_t n;

	need_fixture(f);
	assert_non_null(mkdtemp(dir));
	path(f, "symmod.ko", p, sizeof(p));
	read_buildid(p, id, sizeof(id));
	/* Debug packages' layout: .build-id/ab/cdef....debug, no module name anywhere. */
	snprintf(debug, sizeof(debug), "%s/.build-id", dir);
	mkdir(debug, 0755);
	snprintf(debug, sizeof(debug), "%s/.build-id/%.2s", dir, id);
	mkdir(debug, 0755);
	snprintf(debug, sizeof(debug), "%s/.build-id/%.2s/%s.debug", dir, id, id + 2);
	copy_file(p, debug);
	/* The log prints the module's build id in its frames (CONFIG_STACKTRACE_BUILD_ID). */
	path(f, "fix.log", p, sizeof(p));
	snprintf(log, sizeof(log), "%s/ids.log", dir);
	assert_non_null(in = fopen(p, "r"));
	assert_non_null(out = fopen(log, "w"));
	while (fgets(line, sizeof(line), in)) {
		char *m = strstr(line, " [symmod]");

		if (m && !strstr(line, " at: "))
			fprintf(out, "%.*s [symmod %s]%s", (int)(m - line), line, id, m + 9);
		else
			fputs(line, out);
	}
	fclose(in);
	fclose(out);
	assert_int_equal(ks_sym_new(&cfg, &s), 0);
	n = run_file(f, s, log, false, NULL, r);
	assert_int_equal(n, 3);
	assert_non_null(r[0]->trace.v[1].file);
	assert_string_equal(base(r[0]->trace.v[1].file), "symmod.c");
	assert_string_equal(f->warnings, "");
	free_reports(r, n);
	ks_sym_free(s);
	unlink(log);
	unlink(debug);
	snprintf(debug, sizeof(debug), "%s/.build-id/%.2s", dir, id);
	rmdir(debug);
	snprintf(debug, sizeof(debug), "%s/.build-id", dir);
	rmdir(debug);
	rmdir(dir);
}

static void test_unusable_files(void **state)
{
	static const struct {
		const char *file;
		int err;
		const char *says;
	} cases[] = {
		{ "notelf", -EINVAL, "not an ELF file" },
		{ "symfix-truncated", -EINVAL, "" },
		{ "no-such-file", -ENOENT, "" },
	};
	struct fx *f = *state;

	need_fixture(f);
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		char p[512];
		struct ks_sym_config cfg = { .vmlinux = p };
		struct ks_sym *s = NULL;
		int r;

		path(f, cases[i].file, p, sizeof(p));
		r = ks_sym_new(&cfg, &s);
		assert_true(r < 0);
		if (cases[i].err == -ENOENT)
			assert_int_equal(r, -ENOENT);
		/* The message names the file and says what is wrong. */
		assert_non_null(strstr(ks_sym_error(s), cases[i].file));
		assert_non_null(strstr(ks_sym_error(s), cases[i].says));
		ks_sym_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_frames),
		cmocka_unit_test(test_raw_frames_kernel_offset_and_kallsyms),
		cmocka_unit_test(test_raw_frames_without_kallsyms),
		cmocka_unit_test(test_offsets_learnt_from_named_frames),
		cmocka_unit_test(test_system_map_names_only),
		cmocka_unit_test(test_without_aranges),
		cmocka_unit_test(test_other_build_gives_no_lines),
		cmocka_unit_test(test_other_build_raw_frames),
		cmocka_unit_test(test_missing_module),
		cmocka_unit_test(test_host_files_when_release_matches),
		cmocka_unit_test(test_module_by_buildid),
		cmocka_unit_test(test_unusable_files),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
