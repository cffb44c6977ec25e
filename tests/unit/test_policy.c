// SPDX-License-Identifier: GPL-2.0-or-later
/* CI policy: suppressions, baselines written and read back, --fail-on kinds and classes. */
#include "unit.h"

#include <errno.h>
#include <unistd.h>

#include "ksplat/policy.h"
#include "ksplat/report.h"

struct fake {
	struct ks_report *r;
	struct ks_frame culprit;
	struct ks_lock lock;
};

static void fake_report(struct fake *f, enum ks_kind kind, uint64_t sig, const char *func,
			const char *lock)
{
	assert_int_equal(ks_report_new(kind, 4096, &f->r), 0);
	memset(&f->culprit, 0, sizeof(f->culprit));
	memset(&f->lock, 0, sizeof(f->lock));
	f->culprit.func = func;
	f->lock.name = lock;
	f->r->a.signature = sig;
	f->r->a.culprit = func ? &f->culprit : NULL;
	f->r->a.lock = lock ? &f->lock : NULL;
}

static void write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *out;

	assert_true(fd >= 0);
	assert_non_null(out = fdopen(fd, "w"));
	fputs(text, out);
	fclose(out);
}

static void test_no_policy_every_report_fails(void **state)
{
	struct ks_policy *p;
	struct fake f;

	(void)state;
	assert_int_equal(ks_policy_new(&p), 0);
	fake_report(&f, KS_KIND_WARNING, 1, "foo", NULL);
	assert_false(ks_policy_suppressed(p, f.r));
	assert_false(ks_policy_known(p, f.r));
	assert_true(ks_policy_fails(p, f.r));
	ks_report_free(f.r);
	ks_policy_free(p);
}

static void test_suppressions(void **state)
{
	char path[] = "/tmp/ksplat-supp-XXXXXX", err[256];
	struct ks_policy *p;
	struct fake f;

	(void)state;
	write_file(path, "# flaky on this board\n"
			 "function drv_poll*   # any of its variants\n"
			 "lock &dev->mutex*\n"
			 "\n"
			 "kind rcu-*\n"
			 "ks-00000000000000ff\n");
	assert_int_equal(ks_policy_new(&p), 0);
	assert_int_equal(ks_policy_load_suppressions(p, path, err, sizeof(err)), 0);
	/* The culprit as people write it: GCC's .constprop.0 does not hide it. */
	fake_report(&f, KS_KIND_SLEEP_IN_ATOMIC, 1, "drv_poll_once.constprop.0", NULL);
	assert_true(ks_policy_suppressed(p, f.r));
	ks_report_free(f.r);
	fake_report(&f, KS_KIND_LOCKDEP_CIRCULAR, 2, "other", "&dev->mutex#2");
	assert_true(ks_policy_suppressed(p, f.r));
	ks_report_free(f.r);
	fake_report(&f, KS_KIND_RCU_STALL, 3, NULL, NULL);
	assert_true(ks_policy_suppressed(p, f.r));
	ks_report_free(f.r);
	fake_report(&f, KS_KIND_WARNING, 0xff, "x", NULL);
	assert_true(ks_policy_suppressed(p, f.r));
	ks_report_free(f.r);
	fake_report(&f, KS_KIND_WARNING, 0xfe, "x", "other_lock");
	assert_false(ks_policy_suppressed(p, f.r));
	ks_report_free(f.r);
	ks_policy_free(p);
	unlink(path);
}

static void test_bad_suppression_names_the_line(void **state)
{
	char path[] = "/tmp/ksplat-supp-XXXXXX", err[256];
	struct ks_policy *p;

	(void)state;
	write_file(path, "function ok\nfunctoin typo\n");
	assert_int_equal(ks_policy_new(&p), 0);
	assert_int_equal(ks_policy_load_suppressions(p, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":2: "));
	ks_policy_free(p);
	unlink(path);
	assert_int_equal(ks_policy_new(&p), 0);
	assert_int_equal(ks_policy_load_baseline(p, "/nonexistent/baseline", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/baseline"));
	ks_policy_free(p);
}

static void test_baseline_round_trip(void **state)
{
	char path[] = "/tmp/ksplat-base-XXXXXX", err[256];
	struct ks_policy *w, *r;
	struct fake a, b, c;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	fake_report(&a, KS_KIND_SLEEP_IN_ATOMIC, 0x3062344488eb746f, "faulty_function", "my_lock");
	fake_report(&b, KS_KIND_WARNING, 0x106b2ce9a5450304, "splat_warn", NULL);
	fake_report(&c, KS_KIND_WARNING, 0x1, "new_one", NULL);
	assert_int_equal(ks_policy_new(&w), 0);
	/* Twice the same signature is one line; past the limit, nothing more is kept. */
	assert_int_equal(ks_policy_note(w, a.r, 2), 0);
	assert_int_equal(ks_policy_note(w, a.r, 2), 0);
	assert_int_equal(ks_policy_note(w, b.r, 2), 0);
	assert_int_equal(ks_policy_note(w, c.r, 2), 0);
	assert_int_equal(ks_policy_write_baseline(w, path, err, sizeof(err)), 0);
	assert_int_equal(ks_policy_new(&r), 0);
	assert_int_equal(ks_policy_load_baseline(r, path, err, sizeof(err)), 0);
	assert_true(ks_policy_known(r, a.r));
	assert_true(ks_policy_known(r, b.r));
	assert_false(ks_policy_known(r, c.r));
	/* Known reports do not fail the run; new ones do. */
	assert_false(ks_policy_fails(r, a.r));
	assert_true(ks_policy_fails(r, c.r));
	ks_report_free(a.r);
	ks_report_free(b.r);
	ks_report_free(c.r);
	ks_policy_free(w);
	ks_policy_free(r);
	unlink(path);
}

static void test_fail_on(void **state)
{
	static const struct {
		const char *list;
		enum ks_kind kind;
		bool fails;
	} cases[] = {
		{ "sleep-in-atomic", KS_KIND_SLEEP_IN_ATOMIC, true },
		{ "sleep-in-atomic", KS_KIND_WARNING, false },
		{ "deadlock", KS_KIND_LOCKDEP_CIRCULAR, true },
		{ "deadlock", KS_KIND_HUNG_TASK, true },
		{ "deadlock", KS_KIND_WARNING, false },
		{ "atomic,crash", KS_KIND_NULL_DEREF, true },
		{ "atomic,crash", KS_KIND_SCHEDULE_WHILE_ATOMIC, true },
		{ "atomic,crash", KS_KIND_LOCKDEP_CIRCULAR, false },
		{ "lockdep", KS_KIND_LOCKDEP_BAD_UNLOCK, true },
		{ "lockdep-irq-*", KS_KIND_LOCKDEP_IRQ_INVERSION, true },
		{ "warning", KS_KIND_WARNING, true },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ks_policy *p;
		struct fake f;

		assert_int_equal(ks_policy_new(&p), 0);
		assert_int_equal(ks_policy_set_fail_on(p, cases[i].list, err, sizeof(err)), 0);
		fake_report(&f, cases[i].kind, 1, "f", NULL);
		if (ks_policy_fails(p, f.r) != cases[i].fails)
			fail_msg("--fail-on=%s, kind %d: %d", cases[i].list, cases[i].kind, !cases[i].fails);
		ks_report_free(f.r);
		ks_policy_free(p);
	}
}

static void test_fail_on_rejects_unknown(void **state)
{
	struct ks_policy *p;
	char err[256];

	(void)state;
	assert_int_equal(ks_policy_new(&p), 0);
	assert_int_equal(ks_policy_set_fail_on(p, "sleep-in-atomic,nonsense", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "nonsense"));
	assert_int_equal(ks_policy_set_fail_on(p, "", err, sizeof(err)), -EINVAL);
	ks_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_policy_every_report_fails),
		cmocka_unit_test(test_suppressions),
		cmocka_unit_test(test_bad_suppression_names_the_line),
		cmocka_unit_test(test_baseline_round_trip),
		cmocka_unit_test(test_fail_on),
		cmocka_unit_test(test_fail_on_rejects_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
