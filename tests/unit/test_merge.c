// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading --format=json documents back: reports with their counts, inputs and
 * last seen; documents of several hosts folded; the same input named by two
 * documents counted once; a document in the writer's own format rendered back
 * byte for byte; and every kind of bad document refused whole, naming the
 * file and the problem, with the dedup left as it was. Documents are written
 * by the tests into a temporary directory.
 */
#include "unit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksplat/analyze.h"
#include "ksplat/merge.h"
#include "ksplat/render.h"
#include "ksplat/report.h"
#include "ksplat/util.h"

#define MAX_FILES 16

struct fx {
	char dir[64];
	char *files[MAX_FILES];
	size_t nfiles;
	struct ks_merge *m;
	struct ks_dedup *dd;
	char err[512];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/ksplat-test-merge-XXXXXX");
	if (!mkdtemp(f->dir) || ks_merge_new(&f->m) < 0 || ks_dedup_new(100000, &f->dd) < 0) {
		ks_merge_free(f->m);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	for (size_t i = 0; i < f->nfiles; i++) {
		unlink(f->files[i]);
		free(f->files[i]);
	}
	rmdir(f->dir);
	ks_dedup_free(f->dd);
	ks_merge_free(f->m);
	free(f);
	return 0;
}

/* Write @len bytes of @data to @name in the test's directory; the path, owned by @f. */
static const char *write_doc_n(struct fx *f, const char *name, const char *data, size_t len)
{
	char *path = malloc(strlen(f->dir) + strlen(name) + 2);
	FILE *out;

	assert_non_null(path);
	assert_true(f->nfiles < MAX_FILES);
	sprintf(path, "%s/%s", f->dir, name);
	out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(data, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
	f->files[f->nfiles++] = path;
	return path;
}

static const char *write_doc(struct fx *f, const char *name, const char *data)
{
	return write_doc_n(f, name, data, strlen(data));
}

static int add(struct fx *f, const char *path)
{
	return ks_merge_add_file(f->m, path, f->dd, f->err, sizeof(f->err));
}

static size_t ranked(struct fx *f, const struct ks_dedup_entry *const **ret)
{
	return ks_dedup_ranked(f->dd, ret);
}

/* The entry whose report has signature @sig. */
static const struct ks_dedup_entry *entry_of(struct fx *f, uint64_t sig)
{
	const struct ks_dedup_entry *const *e;
	size_t n = ranked(f, &e);

	for (size_t i = 0; i < n; i++)
		if (e[i]->first->a.signature == sig)
			return e[i];
	fail_msg("no finding with signature %016llx", (unsigned long long)sig);
	return NULL;
}

static uint32_t input_named(struct fx *f, const char *name)
{
	uint32_t n;
	const char *const *v = ks_merge_inputs(f->m, &n);

	for (uint32_t i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return i;
	fail_msg("no input %s", name);
	return UINT32_MAX;
}

static uint64_t count_in(const struct ks_dedup_entry *e, uint32_t source)
{
	for (uint32_t i = 0; i < e->nsources; i++)
		if (e->per_source[i].source == source)
			return e->per_source[i].count;
	return 0;
}

/*
 * Two findings exactly as json_summary() writes them (key order, number
 * forms, escapes): a lockdep cycle and a symbolized sleep under a spinlock.
 */
#define NOWHERE "\"address\":null,\"file\":null,\"line\":null,\"inlined\":[],\"source\":null"
#define FRAME(fn, mod, off, size) \
	"\"function\":\"" fn "\",\"module\":" mod ",\"offset\":" off ",\"size\":" size "," NOWHERE
#define TRACE_TAIL(reliable, section) ",\"build_id\":null,\"reliable\":" reliable ",\"section\":" section "}"
#define SPLATMOD "\"splatmod\""
#define F_BA_1C "{" FRAME("splat_abba_ba", SPLATMOD, "28", "52") "}"
#define F_BA_E "{" FRAME("splat_abba_ba", SPLATMOD, "14", "52") "}"
#define F_AB_1C "{" FRAME("splat_abba_ab", SPLATMOD, "28", "52") "}"
#define LOCK(name, role, addr, depth, owner, at) \
	"{\"name\":\"" name "\",\"role\":\"" role "\",\"address\":" addr ",\"usage\":\"+.+.\"," \
	"\"wait_outer\":4,\"wait_inner\":4,\"depth\":" depth ",\"held_by\":" owner ",\"acquired_at\":" \
	at "}"

#define LOCKDEP_REPORT \
	"{\"kind\":\"lockdep-circular\",\"title\":\"possible deadlock in splat_abba_ba\"," \
	"\"headline\":\"possible deadlock in splat_abba_ba\",\"corrupted\":false," \
	"\"culprit\":" F_BA_1C ",\"callee\":null,\"callee_api\":null,\"cause\":null,\"locks\":[" \
	LOCK("splat_mutex_a", "acquiring", "\"0xffffffffc0002548\"", "null", "null", F_BA_1C) "," \
	LOCK("splat_mutex_b", "holding", "\"0xffffffffc00024a8\"", "null", "null", F_BA_E) "," \
	LOCK("splat_mutex_b", "chain", "null", "null", "null", F_AB_1C) "," \
	LOCK("splat_mutex_a", "chain", "null", "null", "null", F_BA_1C) "," \
	LOCK("splat_mutex_b", "held", "\"0xffffffffc00024a8\"", "0", "\"insmod/39\"", F_BA_E) "]," \
	"\"lock\":\"splat_mutex_a\",\"chain\":[" \
	"{\"lock\":\"splat_mutex_b\",\"usage\":\"+.+.\",\"taken_at\":" F_AB_1C "}," \
	"{\"lock\":\"splat_mutex_a\",\"usage\":\"+.+.\",\"taken_at\":" F_BA_1C "}]," \
	"\"tasks\":[{\"task\":\"insmod/39\",\"comm\":\"insmod\",\"pid\":39," \
	"\"held_locks\":[\"splat_mutex_b\"]}]," \
	"\"scenario\":[\"       CPU0                    CPU1\",\"  lock(splat_mutex_b);\"]," \
	"\"context\":{\"in_atomic\":null,\"irqs_disabled\":null,\"non_block\":null," \
	"\"preempt_count\":null,\"preempt_expected\":null,\"rcu_nest_depth\":null,\"pid\":39," \
	"\"comm\":\"insmod\",\"cpu\":1,\"kernel_version\":\"6.1.192 #2\"," \
	"\"tainted\":\"Tainted: G           O\",\"hardware\":null,\"host\":null,\"boot_id\":null," \
	"\"machine_id\":null,\"level\":4},\"preempt_disabled_at\":null,\"irqs_disabled_at\":null," \
	"\"trace\":[" \
	"{" FRAME("dump_stack_lvl", "null", "76", "95") TRACE_TAIL("true", "\"task\"") "," \
	"{" FRAME("splat_abba_ba", SPLATMOD, "28", "52") TRACE_TAIL("true", "\"task\"") "," \
	"{" FRAME("do_one_initcall", "null", "162", "445") TRACE_TAIL("true", "\"task\"") "]," \
	"\"signature\":\"ks-3300ee7ee83ddfd6\",\"severity\":95,\"rank\":1,\"count\":1," \
	"\"inputs\":[{\"input\":\"host1/kern.log\",\"count\":1}]," \
	"\"first_seen\":{\"input\":\"host1/kern.log\",\"line\":4,\"time\":2.206770,\"wall\":null}," \
	"\"last_seen\":{\"input\":\"host1/kern.log\",\"line\":80}," \
	"\"fix_hint\":\"take splat_mutex_b and splat_mutex_a in one order on every path\"," \
	"\"flags\":[],\"lines\":[\"WARNING: possible circular locking dependency detected\"," \
	"\"insmod/39 is trying to acquire lock:\"]}"

#define F_FAULTY_SYM \
	"\"function\":\"faulty_function\",\"module\":\"splatmod\",\"offset\":35,\"size\":76," \
	"\"address\":\"0xffffffffc0000023\",\"file\":\"/usr/src/ksplat-rig/splatmod/splatmod.c\"," \
	"\"line\":44,\"inlined\":[{\"function\":\"kmalloc\",\"file\":\"include/linux/slab.h\"," \
	"\"line\":600},{\"function\":null,\"file\":\"include/linux/x.h\",\"line\":1}]," \
	"\"source\":\"buf = kmalloc(1024, GFP_KERNEL);\""

#define SLEEP_REPORT \
	"{\"kind\":\"sleep-in-atomic\"," \
	"\"title\":\"BUG: sleeping function called from invalid context in faulty_function\"," \
	"\"headline\":\"BUG: sleeping function called from invalid context in faulty_function\"," \
	"\"corrupted\":true,\"culprit\":{" F_FAULTY_SYM "},\"callee\":\"kmalloc_trace\"," \
	"\"callee_api\":\"kmalloc\",\"cause\":\"spinlock\",\"locks\":[" \
	"{\"name\":\"my_lock\",\"role\":\"atomic\",\"address\":\"0xffffffffc00026b8\"," \
	"\"usage\":\"+.+.\",\"wait_outer\":3,\"wait_inner\":3,\"depth\":0,\"held_by\":\"insmod/39\"," \
	"\"acquired_at\":{" FRAME("faulty_function", SPLATMOD, "13", "76") "}}]," \
	"\"lock\":\"my_lock\",\"chain\":[],\"tasks\":[{\"task\":\"insmod/39\",\"comm\":\"insmod\"," \
	"\"pid\":39,\"held_locks\":[\"my_lock\"]}],\"scenario\":[]," \
	"\"context\":{\"in_atomic\":1,\"irqs_disabled\":0,\"non_block\":0,\"preempt_count\":1," \
	"\"preempt_expected\":0,\"rcu_nest_depth\":0,\"pid\":39,\"comm\":\"insmod\",\"cpu\":0," \
	"\"kernel_version\":\"6.1.192 #2\",\"tainted\":\"Tainted: G           O\"," \
	"\"hardware\":\"QEMU Standard PC (i440FX + PIIX, 1996)\",\"host\":\"host1\"," \
	"\"boot_id\":\"0123456789abcdef0123456789abcdef\"," \
	"\"machine_id\":\"fedcba9876543210fedcba9876543210\",\"level\":3}," \
	"\"preempt_disabled_at\":{\"function\":null,\"module\":null,\"offset\":null,\"size\":null," \
	"\"address\":\"0xffffffff81000000\",\"file\":null,\"line\":null,\"inlined\":[]," \
	"\"source\":null}," \
	"\"irqs_disabled_at\":{" FRAME("_raw_spin_lock_irqsave", "null", "40", "80") "}," \
	"\"trace\":[" \
	"{" FRAME("dump_stack_lvl", "null", "76", "95") TRACE_TAIL("true", "\"task\"") "," \
	"{" FRAME("faulty_function", SPLATMOD, "35", "76") TRACE_TAIL("false", "\"task\"") "," \
	"{" FRAME("kmalloc_trace", "null", "31", "73") TRACE_TAIL("true", "\"irq\"") "," \
	"{" F_FAULTY_SYM ",\"build_id\":\"f8a54b91b9caf62a3f108adea0e017f3a616e53f\"," \
	"\"reliable\":true,\"section\":\"softirq\"}," \
	"{\"function\":null,\"module\":null,\"offset\":null,\"size\":null," \
	"\"address\":\"0xffffffffc0005000\",\"file\":null,\"line\":null,\"inlined\":[]," \
	"\"source\":null" TRACE_TAIL("false", "\"nmi\"") "," \
	"{" FRAME("asm_exc_int3", "null", "1", "2") TRACE_TAIL("true", "\"exception\"") "," \
	"{" FRAME("do_one_initcall", "null", "162", "445") TRACE_TAIL("true", "null") "]," \
	"\"signature\":\"ks-00000000000000ff\",\"severity\":80,\"rank\":2,\"count\":3," \
	"\"inputs\":[{\"input\":\"host1/kern.log\",\"count\":2}," \
	"{\"input\":\"host2/kern.log\",\"count\":1}]," \
	"\"first_seen\":{\"input\":\"host1/kern.log\",\"line\":120,\"time\":12.000001," \
	"\"wall\":\"2024-05-01T10:00:00.123456+00:00\"}," \
	"\"last_seen\":{\"input\":\"host2/kern.log\",\"line\":7}," \
	"\"fix_hint\":\"use GFP_ATOMIC (or GFP_NOWAIT), or allocate before taking my_lock\"," \
	"\"flags\":[\"truncated\",\"interleaved\",\"line-cut\"]," \
	"\"lines\":[\"BUG: sleeping function called from invalid context at " \
	"include/linux/sched/mm.h:274\",\"1 lock held by insmod/39:\"," \
	"\"tab\\there \\\"q\\\" back\\\\slash \\u0001 \xc3\xa9 \\u007f\"]}"

#define FULL_DOC \
	"{\"tool\":\"ksplat\",\"version\":\"0.1.0\"," \
	"\"inputs\":[\"host1/kern.log\",\"host2/kern.log\",\"host3/kern.log\"]," \
	"\"total\":4,\"distinct\":2,\"not_kept\":0,\"reports\":[" LOCKDEP_REPORT "," SLEEP_REPORT \
	"]}\n"

/* A minimal report: kind, signature and what is given in @rest. */
#define MINI(kind, sig, rest) "{\"kind\":\"" kind "\",\"signature\":\"ks-" sig "\"" rest "}"
#define DOC(reports) "{\"tool\":\"ksplat\",\"reports\":[" reports "]}"
/* One warning with @rest after its kind and signature. */
#define ONE(rest) DOC(MINI("warning", "0000000000000001", rest))

static char *render(struct fx *f, enum ks_format format)
{
	struct ks_render_opts o = { .format = format, .version = "0.1.0" };
	struct ks_render *rd;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	o.inputs = ks_merge_inputs(f->m, &o.ninputs);
	assert_int_equal(ks_render_new(&o, out, &rd), 0);
	ks_render_summary(rd, f->dd);
	ks_render_free(rd);
	assert_int_equal(fclose(out), 0);
	return buf;
}

/* The writer's own document comes back byte for byte. */
static void test_render_reproduces_document(void **state)
{
	struct fx *f = *state;
	const char *path = write_doc(f, "full.json", FULL_DOC);
	char *json, *text, *sarif;

	assert_int_equal(add(f, path), 0);
	json = render(f, KS_FORMAT_JSON);
	assert_string_equal(json, FULL_DOC);
	free(json);
	/* The other formats run on the same reports. */
	text = render(f, KS_FORMAT_TEXT);
	assert_non_null(strstr(text, "faulty_function() [splatmod] at "));
	assert_non_null(strstr(text, "called kmalloc, which may sleep, while holding spinlock my_lock"));
	assert_non_null(strstr(text, "splat_abba_ba() [splatmod] takes splat_mutex_a while holding splat_mutex_b"));
	assert_non_null(strstr(text, "<- culprit"));
	assert_non_null(strstr(text, "<- may sleep"));
	free(text);
	sarif = render(f, KS_FORMAT_SARIF);
	assert_non_null(strstr(sarif, "\"ruleId\""));
	free(sarif);
}

/* Pointers analyze sets point into the report's own frames and locks. */
static void test_pointers_as_analyze_sets_them(void **state)
{
	struct fx *f = *state;
	const struct ks_report *r;

	assert_int_equal(add(f, write_doc(f, "full.json", FULL_DOC)), 0);
	r = entry_of(f, 0x3300ee7ee83ddfd6)->first;
	assert_int_equal(r->kind, KS_KIND_LOCKDEP_CIRCULAR);
	assert_non_null(r->acquiring);
	assert_ptr_equal(r->a.culprit, &r->acquiring->at);
	assert_ptr_equal(r->a.lock, r->acquiring);
	assert_int_equal(r->involved.n, 3);
	assert_ptr_equal(r->a.holding, &r->involved.v[0]);
	assert_string_equal(r->involved.v[0].role, "holding");
	assert_string_equal(r->involved.v[1].role, "chain");
	assert_int_equal(r->held.n, 1);
	assert_string_equal(r->held.v[0].owner, "insmod/39");
	assert_int_equal(r->held.v[0].depth, 0);
	assert_int_equal(r->acquiring->depth, -1);
	assert_int_equal(r->acquiring->addr, 0xffffffffc0002548);
	assert_int_equal(r->scenario.n, 2);
	assert_int_equal(r->in_atomic, -1);
	assert_int_equal(r->level, 4);
	assert_int_equal(r->first_ns, UINT64_C(2206770000));

	r = entry_of(f, 0xff)->first;
	assert_int_equal(r->kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_int_equal(r->trace.n, 7);
	assert_ptr_equal(r->a.culprit, &r->trace.v[3]);
	assert_ptr_equal(r->a.callee, &r->trace.v[2]);
	assert_ptr_equal(r->a.lock, &r->held.v[0]);
	assert_null(r->a.holding);
	assert_true(r->trace.v[1].flags & KS_FRAME_UNRELIABLE);
	assert_int_equal(r->trace.v[2].section, KS_SEC_IRQ);
	assert_int_equal(r->trace.v[4].section, KS_SEC_NMI);
	assert_null(r->trace.v[4].func);
	assert_int_equal(r->trace.v[4].addr, 0xffffffffc0005000);
	assert_int_equal(r->trace.v[3].ninlined, 2);
	assert_string_equal(r->trace.v[3].inlined[0].func, "kmalloc");
	assert_null(r->trace.v[3].inlined[1].func);
	assert_int_equal(r->trace.v[3].line, 44);
	assert_string_equal(r->trace.v[3].buildid, "f8a54b91b9caf62a3f108adea0e017f3a616e53f");
	assert_true(r->trace.v[0].has_off);
	assert_false(r->trace.v[4].has_off);
	assert_int_equal(r->flags, KS_REP_TRUNCATED | KS_REP_INTERLEAVED | KS_REP_LINE_CUT);
	assert_true(r->a.corrupted);
	assert_int_equal(r->a.severity, 80);
	assert_string_equal(r->held_by, "insmod/39"); /* from the held-locks line */
	assert_string_equal(r->lines.v[2], "tab\there \"q\" back\\slash \x01 \xc3\xa9 \x7f");
	assert_int_equal(r->first_ns, UINT64_C(12000001000));
	assert_string_equal(r->first_wall, "2024-05-01T10:00:00.123456+00:00");
	assert_string_equal(r->input, "host1/kern.log");
	assert_null(r->preempt_site->func);
	assert_string_equal(r->irqs_off_site->func, "_raw_spin_lock_irqsave");
}

/* Counts by input, last seen, and the document's inputs in its own order. */
static void test_counts_inputs_last_seen(void **state)
{
	struct fx *f = *state;
	const struct ks_dedup_entry *const *e;
	const struct ks_dedup_entry *sleep;
	uint32_t n;
	const char *const *names;

	assert_int_equal(add(f, write_doc(f, "full.json", FULL_DOC)), 0);
	assert_int_equal(ranked(f, &e), 2);
	assert_int_equal(ks_dedup_total(f->dd), 4);
	assert_int_equal(e[0]->first->a.signature, 0x3300ee7ee83ddfd6); /* severity first */
	names = ks_merge_inputs(f->m, &n);
	assert_int_equal(n, 3); /* host3 had nothing, and is still an input */
	assert_string_equal(names[0], "host1/kern.log");
	assert_string_equal(names[1], "host2/kern.log");
	assert_string_equal(names[2], "host3/kern.log");
	sleep = entry_of(f, 0xff);
	assert_int_equal(sleep->count, 3);
	assert_int_equal(sleep->nsources, 2);
	assert_int_equal(count_in(sleep, 0), 2);
	assert_int_equal(count_in(sleep, 1), 1);
	assert_int_equal(sleep->last_source, 1);
	assert_int_equal(sleep->last_lineno, 7);
	assert_int_equal(sleep->first->source, 0);
	assert_int_equal(sleep->first->first_lineno, 120);
}

/* Without inputs: count for the first_seen input; without that, for the document itself. */
static void test_count_without_inputs(void **state)
{
	struct fx *f = *state;
	const char *path = write_doc(f, "plain.json",
				     DOC(MINI("warning", "0000000000000001",
					      ",\"count\":5,\"first_seen\":{\"input\":\"a.log\",\"line\":9}")
					 "," MINI("oops", "0000000000000002", ",\"count\":2")));
	const struct ks_dedup_entry *w, *o;

	assert_int_equal(add(f, path), 0);
	w = entry_of(f, 1);
	o = entry_of(f, 2);
	assert_int_equal(w->count, 5);
	assert_int_equal(count_in(w, input_named(f, "a.log")), 5);
	assert_int_equal(w->last_source, input_named(f, "a.log"));
	assert_int_equal(w->last_lineno, 9);
	assert_int_equal(count_in(o, input_named(f, path)), 2);
	/* What the document does not say keeps ks_report_new()'s defaults. */
	assert_int_equal(o->first->pid, -1);
	assert_int_equal(o->first->cpu, -1);
	assert_int_equal(o->first->level, -1);
	assert_null(o->first->a.culprit);
	assert_null(o->first->a.title);
	assert_int_equal(o->first->first_ns, KS_TIME_NONE);
	assert_int_equal(o->first->a.severity, ks_kinds[KS_KIND_OOPS].severity);
}

/* Two hosts with the same finding: counts summed, both inputs listed, last seen the later one. */
static void test_two_documents_sum(void **state)
{
	struct fx *f = *state;
	const char *a = write_doc(f, "a.json",
				  DOC(MINI("warning", "00000000000000aa",
					   ",\"count\":2,\"inputs\":[{\"input\":\"hostA\",\"count\":2}],"
					   "\"last_seen\":{\"input\":\"hostA\",\"line\":10}")));
	const char *b = write_doc(f, "b.json",
				  DOC(MINI("warning", "00000000000000aa",
					   ",\"count\":3,\"inputs\":[{\"input\":\"hostB\",\"count\":3}],"
					   "\"last_seen\":{\"input\":\"hostB\",\"line\":33}")
				      "," MINI("oops", "00000000000000bb", ",\"count\":1")));
	const struct ks_dedup_entry *const *v;
	const struct ks_dedup_entry *e;

	assert_int_equal(add(f, a), 0);
	assert_int_equal(add(f, b), 0);
	assert_int_equal(ranked(f, &v), 2);
	assert_int_equal(ks_dedup_total(f->dd), 6);
	e = entry_of(f, 0xaa);
	assert_int_equal(e->count, 5);
	assert_int_equal(e->nsources, 2);
	assert_int_equal(count_in(e, input_named(f, "hostA")), 2);
	assert_int_equal(count_in(e, input_named(f, "hostB")), 3);
	assert_int_equal(e->last_source, input_named(f, "hostB"));
	assert_int_equal(e->last_lineno, 33);
	/* The first document's report stays the finding's. */
	assert_int_equal(e->first->source, input_named(f, "hostA"));
}

/* A name seen again in another document is the same input. */
static void test_same_input_is_one(void **state)
{
	struct fx *f = *state;
	const char *doc = "{\"tool\":\"ksplat\",\"inputs\":[\"boot/kern.log\"],\"reports\":["
			  MINI("warning", "0000000000000007",
			       ",\"count\":1,\"first_seen\":{\"input\":\"boot/kern.log\",\"line\":1}") "]}";
	const struct ks_dedup_entry *e;
	uint32_t n;

	assert_int_equal(add(f, write_doc(f, "one.json", doc)), 0);
	assert_int_equal(add(f, write_doc(f, "two.json", doc)), 0);
	ks_merge_inputs(f->m, &n);
	assert_int_equal(n, 1);
	e = entry_of(f, 7);
	assert_int_equal(e->count, 2);
	assert_int_equal(e->nsources, 1);
	assert_int_equal(count_in(e, 0), 2);
}

/* A document of many reports is checked in a first reading and added in a second. */
static char *many_reports(size_t n, bool bad_last, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	fputs("{\"tool\":\"ksplat\",\"reports\":[", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s{\"kind\":\"%s\",\"signature\":\"ks-%016zx\",\"count\":2,"
			     "\"first_seen\":{\"input\":\"h%zu\",\"line\":%zu},\"lines\":[\"WARNING: x\"]}",
			i ? "," : "", bad_last && i == n - 1 ? "bogus" : "warning", i + 1, i % 10, i);
	fputs("]}\n", out);
	assert_int_equal(fclose(out), 0);
	*ret_len = len;
	return buf;
}

static void test_large_document_read_twice(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *good = many_reports(30000, false, &len);
	const struct ks_dedup_entry *const *e;
	uint32_t n;

	assert_int_equal(add(f, write_doc_n(f, "many.json", good, len)), 0);
	free(good);
	assert_int_equal(ranked(f, &e), 30000);
	assert_int_equal(ks_dedup_total(f->dd), 60000);
	ks_merge_inputs(f->m, &n);
	assert_int_equal(n, 10);
	assert_int_equal(entry_of(f, 12345)->first->first_lineno, 12344);
}

/* A bad last report of a large document: nothing of it is added. */
static void test_large_document_bad_at_end(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *bad = many_reports(30000, true, &len);
	const struct ks_dedup_entry *const *e;
	uint32_t n;

	assert_int_equal(add(f, write_doc_n(f, "many-bad.json", bad, len)), -EINVAL);
	free(bad);
	assert_non_null(strstr(f->err, "unknown kind \"bogus\" (reports[29999].kind)"));
	assert_int_equal(ranked(f, &e), 0);
	assert_int_equal(ks_dedup_total(f->dd), 0);
	ks_merge_inputs(f->m, &n);
	assert_int_equal(n, 0);
}

/* A pipe cannot be read twice: it is read into memory, large or not. */
static void test_pipe(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *doc = many_reports(30000, false, &len);
	char path[32];
	int fds[2], status;
	pid_t child;
	const struct ks_dedup_entry *const *e;

	assert_int_equal(pipe(fds), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		size_t done = 0;

		close(fds[0]);
		while (done < len) {
			ssize_t w = write(fds[1], doc + done, len - done);

			if (w <= 0)
				break;
			done += (size_t)w;
		}
		free(doc); /* the child's copy: valgrind follows the fork */
		_exit(done == len ? 0 : 1);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	assert_int_equal(add(f, path), 0);
	close(fds[0]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(doc);
	assert_int_equal(ranked(f, &e), 30000);
}

/* Bad documents: each refused whole with its path and problem, the dedup as it was. */
static const struct {
	const char *name;
	const char *text;
	const char *says;
} bad_docs[] = {
	{ "not-json", "hello\n", "not valid JSON: unexpected character (line 1, column 1)" },
	{ "truncated", "{\"tool\":\"ksplat\",\"reports\":[{\"kind\":\"warning\",\"signa",
	  "truncated JSON" },
	{ "truncated-between", "{\"tool\":\"ksplat\",\"reports\":[]", "truncated JSON" },
	{ "array", "[1,2]", "not a ksplat document: the JSON is an array, not an object" },
	{ "string", "\"ksplat\"", "the JSON is a string" },
	{ "no-tool", "{\"reports\":[]}", "not a ksplat document: no tool member" },
	{ "other-tool", "{\"tool\":\"dmesg\",\"reports\":[]}",
	  "tool is \"dmesg\", not \"ksplat\"" },
	{ "tool-number", "{\"tool\":1,\"reports\":[]}", "tool is an integer" },
	{ "no-reports", "{\"tool\":\"ksplat\"}", "no reports member" },
	{ "reports-object", "{\"tool\":\"ksplat\",\"reports\":{}}",
	  "expected an array, found an object (reports)" },
	{ "reports-null", "{\"tool\":\"ksplat\",\"reports\":null}",
	  "expected an array, found null (reports)" },
	{ "report-number", DOC("42"), "expected a report object, found an integer (reports[0])" },
	{ "no-kind", DOC("{\"signature\":\"ks-0000000000000001\",\"count\":1}"),
	  "needs a kind (reports[0].kind)" },
	{ "unknown-kind", DOC(MINI("sleepy", "0000000000000001", ",\"count\":1")),
	  "unknown kind \"sleepy\" (reports[0].kind)" },
	{ "kind-number", DOC("{\"kind\":7,\"signature\":\"ks-0000000000000001\",\"count\":1}"),
	  "expected a string, found an integer (reports[0].kind)" },
	{ "no-signature", DOC("{\"kind\":\"warning\",\"count\":1}"), "needs a signature" },
	{ "short-signature", DOC(MINI("warning", "123", ",\"count\":1")),
	  "is not \"ks-\" and 16 hex digits" },
	{ "signature-prefix",
	  DOC("{\"kind\":\"warning\",\"signature\":\"xx-0000000000000001\",\"count\":1}"),
	  "\"xx-0000000000000001\" is not \"ks-\"" },
	{ "signature-hex", DOC(MINI("warning", "000000000000000g", ",\"count\":1")),
	  "(reports[0].signature)" },
	{ "no-count", ONE(""), "needs a count or inputs (reports[0].count)" },
	{ "count-zero", ONE(",\"count\":0"), "0 is out of range" },
	{ "count-negative", ONE(",\"count\":-3"), "expected an integer >= 1, found -3 (reports[0].count)" },
	{ "count-string", ONE(",\"count\":\"3\""), "found a string (reports[0].count)" },
	{ "count-1e400", ONE(",\"count\":1e400"), "found a non-integer number (reports[0].count)" },
	{ "count-fraction", ONE(",\"count\":1.5"), "non-integer" },
	{ "count-nan", ONE(",\"count\":NaN"), "(reports[0].count)" },
	{ "count-huge", ONE(",\"count\":99999999999999999999"), "out of range" },
	{ "count-not-sum", ONE(",\"count\":3,\"inputs\":[{\"input\":\"a\",\"count\":2}]"),
	  "3 is not the sum of the counts in inputs (2)" },
	{ "input-count-zero", ONE(",\"inputs\":[{\"input\":\"a\",\"count\":0}]"),
	  "(reports[0].inputs[0].count)" },
	{ "input-no-name", ONE(",\"inputs\":[{\"count\":1}]"), "(reports[0].inputs[0].input)" },
	{ "line-string", ONE(",\"count\":1,\"first_seen\":{\"line\":\"12\"}"),
	  "expected an integer >= 0, found a string (reports[0].first_seen.line)" },
	{ "pid-string", ONE(",\"count\":1,\"context\":{\"pid\":\"1\"}"), "(reports[0].context.pid)" },
	{ "level-8", ONE(",\"count\":1,\"context\":{\"level\":8}"),
	  "8 is out of range (0..7) (reports[0].context.level)" },
	{ "time-negative", ONE(",\"count\":1,\"first_seen\":{\"time\":-1}"),
	  "out of range (reports[0].first_seen.time)" },
	{ "frame-offset", ONE(",\"count\":1,\"trace\":[{\"offset\":true}]"),
	  "found a boolean (reports[0].trace[0].offset)" },
	{ "address", ONE(",\"count\":1,\"culprit\":{\"address\":\"12\"}"),
	  "(reports[0].culprit.address)" },
	{ "culprit-no-function", ONE(",\"count\":1,\"culprit\":{\"offset\":1}"),
	  "a culprit needs a function name (reports[0].culprit.function)" },
	{ "inlined-no-file", ONE(",\"count\":1,\"trace\":[{\"inlined\":[{\"function\":\"f\",\"line\":1}]}]"),
	  "inlined code needs a file (reports[0].trace[0].inlined[0].file)" },
	{ "section", ONE(",\"count\":1,\"trace\":[{\"section\":\"user\"}]"),
	  "unknown section \"user\" (reports[0].trace[0].section)" },
	{ "flag", ONE(",\"count\":1,\"flags\":[\"odd\"]"), "unknown flag \"odd\" (reports[0].flags[0])" },
	{ "line-not-string", ONE(",\"count\":1,\"lines\":[\"a\",2]"), "(reports[0].lines[1])" },
	{ "lock-no-role", ONE(",\"count\":1,\"locks\":[{\"name\":\"a\"}]"),
	  "a lock needs a role (reports[0].locks[0].role)" },
	{ "two-acquiring",
	  ONE(",\"count\":1,\"locks\":[{\"name\":\"a\",\"role\":\"acquiring\"},"
	      "{\"name\":\"b\",\"role\":\"acquiring\"}]"),
	  "a second lock with role \"acquiring\" (reports[0].locks[1].role)" },
	{ "lock-unknown", ONE(",\"count\":1,\"lock\":\"x\",\"locks\":[{\"name\":\"a\",\"role\":\"held\"}]"),
	  "\"x\" is none of the locks" },
	{ "nul", ONE(",\"count\":1,\"lines\":[\"a\\u0000b\"]"),
	  "a string holds a NUL character (reports[0].lines[0])" },
	{ "not-utf8", ONE(",\"count\":1,\"lines\":[\"\xff\"]"), "not valid JSON: invalid utf-8 string" },
	{ "comment", "{\"tool\":\"ksplat\",/* x */\"reports\":[]}",
	  "not valid JSON: expected a member name" },
	{ "trailing-comma", DOC(MINI("warning", "0000000000000001", ",\"count\":1") ","),
	  "not valid JSON" },
	{ "after", "{\"tool\":\"ksplat\",\"reports\":[]} {}",
	  "more data after the document (line 1, column 32)" },
	{ "twice", "{\"tool\":\"ksplat\",\"reports\":[],\"reports\":[]}", "member reports given twice" },
	{ "bad-after-good",
	  DOC(MINI("warning", "0000000000000001", ",\"count\":1") ","
	      MINI("nope", "0000000000000002", ",\"count\":1")),
	  "unknown kind \"nope\" (reports[1].kind)" },
	{ "ends-after-report",
	  "{\"tool\":\"ksplat\",\"reports\":[" MINI("warning", "0000000000000001", ",\"count\":1"),
	  "truncated JSON: the document ends inside reports" },
	{ "no-comma-reports",
	  DOC(MINI("warning", "0000000000000001", ",\"count\":1") " "
	      MINI("warning", "0000000000000002", ",\"count\":1")),
	  "expected ',' or ']' after a report (line 1, column 92)" },
	{ "no-colon", "{\"tool\" \"ksplat\",\"reports\":[]}",
	  "expected ':' after a member name (line 1, column 9)" },
	{ "no-comma", "{\"tool\":\"ksplat\"\n \"reports\":[]}",
	  "expected ',' or '}' after a member (line 2, column 2)" },
	{ "inputs-string", "{\"tool\":\"ksplat\",\"inputs\":\"a\",\"reports\":[]}",
	  "expected an array, found a string (inputs)" },
	{ "input-empty-name", "{\"tool\":\"ksplat\",\"inputs\":[\"\"],\"reports\":[]}",
	  "an input name of 0 bytes (1..4096) (inputs[0])" },
	{ "empty", "", "empty file, not a JSON document" },
	{ "blank", " \n\t\n", "empty file" },
};

/* The dedup after one good document, to see that a bad one changes nothing. */
static void add_known_good(struct fx *f)
{
	assert_int_equal(add(f, write_doc(f, "good.json", FULL_DOC)), 0);
}

static void assert_unchanged(struct fx *f)
{
	const struct ks_dedup_entry *const *e;
	uint32_t n;

	assert_int_equal(ranked(f, &e), 2);
	assert_int_equal(ks_dedup_total(f->dd), 4);
	ks_merge_inputs(f->m, &n);
	assert_int_equal(n, 3);
}

static void check_refused(struct fx *f, const char *path, int want, const char *says)
{
	int r = add(f, path);

	if (r != want || !strstr(f->err, path) || !strstr(f->err, says))
		fail_msg("%s: got %d \"%s\", want %d and \"%s\"", path, r, f->err, want, says);
	assert_unchanged(f);
}

static void test_bad_documents(void **state)
{
	struct fx *f = *state;

	add_known_good(f);
	for (size_t i = 0; i < KS_ARRAY_SIZE(bad_docs); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/%s.json", f->dir, bad_docs[i].name);
		{
			FILE *out = fopen(path, "wb");

			assert_non_null(out);
			fputs(bad_docs[i].text, out);
			assert_int_equal(fclose(out), 0);
		}
		check_refused(f, path, -EINVAL, bad_docs[i].says);
		unlink(path);
	}
}

/* 10000 nested arrays, where a report belongs and as the document itself. */
static void test_deep_nesting(void **state)
{
	struct fx *f = *state;
	const size_t depth = 10000;
	char *deep = malloc(64 + 2 * depth);
	size_t n = 0;

	assert_non_null(deep);
	add_known_good(f);
	n = (size_t)sprintf(deep, "{\"tool\":\"ksplat\",\"reports\":");
	memset(deep + n, '[', depth);
	memset(deep + n + depth, ']', depth);
	n += 2 * depth;
	deep[n++] = '}';
	check_refused(f, write_doc_n(f, "deep.json", deep, n), -EINVAL, "not valid JSON: nesting too deep");
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	check_refused(f, write_doc_n(f, "deep-top.json", deep, 2 * depth), -EINVAL, "nesting too deep");
	free(deep);
}

/* Larger than a report may be: refused, not grown without bound. */
static void test_report_too_large(void **state)
{
	struct fx *f = *state;
	size_t line = 64 * 1024, lines = 20, n;
	char *doc = malloc(256 + lines * (line + 3));

	assert_non_null(doc);
	add_known_good(f);
	n = (size_t)sprintf(doc, "{\"tool\":\"ksplat\",\"reports\":[{\"kind\":\"warning\","
				 "\"signature\":\"ks-0000000000000001\",\"count\":1,\"lines\":[");
	for (size_t i = 0; i < lines; i++) {
		doc[n++] = i ? ',' : ' ';
		doc[n++] = '"';
		memset(doc + n, 'x', line);
		n += line;
		doc[n++] = '"';
	}
	n += (size_t)sprintf(doc + n, "]}]}");
	check_refused(f, write_doc_n(f, "large.json", doc, n), -EINVAL, "needs more than the 1024 KiB");
	free(doc);
	/* Larger than json-c is given for one value. */
	line = 17 << 20;
	assert_non_null(doc = malloc(line + 256));
	n = (size_t)sprintf(doc, "{\"tool\":\"ksplat\",\"reports\":[{\"kind\":\"warning\",\"lines\":[\"");
	memset(doc + n, 'x', line);
	n += line;
	n += (size_t)sprintf(doc + n, "\"]}]}");
	check_refused(f, write_doc_n(f, "huge.json", doc, n), -EINVAL, "reports[0] is larger than 16 MiB");
	free(doc);
}

/* What the text shows beside the JSON members, recovered as the kind parsers and analyze had it. */
static void test_derived_fields(void **state)
{
	struct fx *f = *state;
	const char *doc = DOC(
		/* The RIP: line names the culprit: analyze took the PC, not the equal trace frame. */
		MINI("warning", "0000000000000001",
		     ",\"count\":1,\"culprit\":{\"function\":\"f\",\"offset\":1,\"size\":2},"
		     "\"trace\":[{\"function\":\"f\",\"offset\":1,\"size\":2}],"
		     "\"lines\":[\"------------[ cut here ]------------\","
		     "\"WARNING: CPU: 1 PID: 39 at drivers/x.c:12 f+0x1/0x2\",\"RIP: 0010:f+0x1/0x2\"]") ","
		/* Without one, the trace frame. */
		MINI("oops", "0000000000000002",
		     ",\"count\":1,\"culprit\":{\"function\":\"f\",\"offset\":1,\"size\":2},"
		     "\"trace\":[{\"function\":\"f\",\"offset\":1,\"size\":2}]") ","
		/* A hung task waits for the lock another task holds. */
		MINI("hung-task", "0000000000000003",
		     ",\"count\":1,\"lock\":\"&m\",\"locks\":["
		     "{\"name\":\"&m\",\"role\":\"held\",\"held_by\":\"kworker/0:1/7\"},"
		     "{\"name\":\"&m\",\"role\":\"atomic\",\"held_by\":\"cat/99\"}]") ","
		MINI("invalid-wait-context", "0000000000000004",
		     ",\"count\":1,\"lines\":[\"context-{5:5}\"]") ","
		MINI("lockdep-bad-unlock", "0000000000000005",
		     ",\"count\":1,\"lock\":\"l\",\"locks\":[{\"name\":\"l\",\"role\":\"released\"},"
		     "{\"name\":\"i\",\"role\":\"involved\"}]") ","
		MINI("smp-processor-id-preemptible", "0000000000000006", ",\"count\":1,\"callee\":\"smp_processor_id\"") ","
		MINI("sleep-in-atomic", "0000000000000007",
		     ",\"count\":1,\"callee\":\"msleep\",\"culprit\":{\"function\":\"g\"},"
		     "\"trace\":[{\"function\":\"msleep\"},{\"function\":\"g\"},{\"function\":\"msleep\"}]"));
	const struct ks_report *r;

	assert_int_equal(add(f, write_doc(f, "derived.json", doc)), 0);
	r = entry_of(f, 1)->first;
	assert_string_equal(r->what, "drivers/x.c:12");
	assert_non_null(r->a.culprit);
	assert_ptr_not_equal(r->a.culprit, &r->trace.v[0]);
	r = entry_of(f, 2)->first;
	assert_ptr_equal(r->a.culprit, &r->trace.v[0]);
	r = entry_of(f, 3)->first;
	assert_ptr_equal(r->a.lock, &r->held.v[1]);
	assert_string_equal(r->a.holder, "kworker/0:1/7");
	r = entry_of(f, 4)->first;
	assert_int_equal(r->context_outer, 5);
	assert_int_equal(r->context_inner, 5);
	r = entry_of(f, 5)->first;
	assert_ptr_equal(r->a.lock, &r->involved.v[0]);
	assert_null(r->involved.v[1].role); /* "involved" is how the writer says "no role" */
	r = entry_of(f, 6)->first;
	assert_string_equal(r->what, "smp_processor_id");
	assert_null(r->a.callee);
	r = entry_of(f, 7)->first;
	assert_ptr_equal(r->a.culprit, &r->trace.v[1]);
	assert_ptr_equal(r->a.callee, &r->trace.v[0]); /* the last one before the culprit */
}

static void test_missing_file(void **state)
{
	struct fx *f = *state;
	char path[128];

	add_known_good(f);
	snprintf(path, sizeof(path), "%s/none.json", f->dir);
	check_refused(f, path, -ENOENT, "No such file or directory");
	check_refused(f, f->dir, -EISDIR, "Is a directory");
	check_refused(f, "/dev/null", -EINVAL, "empty file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render_reproduces_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pointers_as_analyze_sets_them, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_inputs_last_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_without_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_documents_sum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_input_is_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_document_read_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_document_bad_at_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_derived_fields, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
