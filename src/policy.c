// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/kinds.h"
#include "ksplat/policy.h"
#include "ksplat/util.h"

/* A line of a suppressions or baseline file. */
#define POLICY_LINE_MAX 1024

/* Classes of kinds for --fail-on: what a CI gate usually means by them. */
static const struct {
	const char *name;
	const char *kinds; /* comma-separated */
} classes[] = {
	{ "deadlock", "lockdep-circular,lockdep-recursive,lockdep-inconsistent,lockdep-irq-inversion,"
		      "lockdep-irq-unsafe-order,hung-task,soft-lockup,hard-lockup,rcu-stall" },
	{ "atomic", "sleep-in-atomic,schedule-while-atomic,invalid-wait-context,"
		    "smp-processor-id-preemptible,rcu-context-switch,lockdep-rcu-suspicious" },
	{ "crash", "null-deref,paging-fault,gpf,kernel-bug,oops,panic,kasan,kfence,kmsan" },
	{ "lockdep", "lockdep-*" },
	{ "warning", "warning,ubsan,kcsan,workqueue-leak,spinlock-bug,lockdep-bad-unlock,"
		     "lockdep-held-lock-freed,lockdep-lock-held-return-user,lockdep-still-has-locks,"
		     "lockdep-nested-lock,lockdep-non-static-key,lockdep-capacity,other" },
};

enum field { F_FUNCTION, F_LOCK, F_KIND, F_SIGNATURE };

struct suppression {
	enum field field;
	char *glob;
};

/* A signature seen, for --write-baseline. */
struct seen {
	uint64_t sig;
	char *what; /* "kind function lock" */
};

struct ks_policy {
	struct seen *seen; /* sorted by signature */
	size_t nseen;
	struct suppression *supp;
	size_t nsupp;
	uint64_t *known; /* sorted */
	size_t nknown;
	uint64_t fail_on; /* bit per kind; 0: every kind */
};

int ks_policy_new(struct ks_policy **ret)
{
	*ret = calloc(1, sizeof(**ret));
	return *ret ? 0 : -ENOMEM;
}

void ks_policy_free(struct ks_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsupp; i++)
		free(p->supp[i].glob);
	free(p->supp);
	free(p->known);
	for (size_t i = 0; i < p->nseen; i++)
		free(p->seen[i].what);
	free(p->seen);
	free(p);
}

/* "ks-0123456789abcdef" */
static bool parse_signature(const char *s, size_t len, uint64_t *ret)
{
	return len == 19 && strncmp(s, "ks-", 3) == 0 && ks_parse_u64(s + 3, 16, 16, ret) == 16;
}

typedef int line_fn(struct ks_policy *p, char *words[2], size_t nwords);

/* Each line's first two words, comments and blank lines skipped. */
static int read_lines(struct ks_policy *p, const char *path, line_fn *fn, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char line[POLICY_LINE_MAX];
	unsigned long lineno = 0;
	int r = 0;

	if (!f) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	while (r == 0 && fgets(line, sizeof(line), f)) {
		char *words[2] = { NULL, NULL }, *save = NULL, *hash = strchr(line, '#');
		size_t n = 0;

		lineno++;
		if (hash)
			*hash = '\0';
		for (char *w = strtok_r(line, " \t\r\n", &save); w && n < 2; w = strtok_r(NULL, " \t\r\n", &save))
			words[n++] = w;
		if (n && (r = fn(p, words, n)) < 0)
			snprintf(err, errlen, "%s:%lu: %s", path, lineno,
				 r == -ENOMEM ? strerror(ENOMEM) :
				 "expected ks-SIGNATURE, or function, lock or kind and a pattern");
	}
	fclose(f);
	return r;
}

static int add_suppression(struct ks_policy *p, char *words[2], size_t n)
{
	static const char *const fields[] = {
		[F_FUNCTION] = "function", [F_LOCK] = "lock", [F_KIND] = "kind",
	};
	struct suppression *v;
	uint64_t sig;
	size_t k = 0;

	if (n == 1) {
		if (!parse_signature(words[0], strlen(words[0]), &sig))
			return -EINVAL;
		k = F_SIGNATURE;
	} else {
		for (k = 0; k < KS_ARRAY_SIZE(fields) && strcmp(words[0], fields[k]) != 0; k++)
			;
		if (k == KS_ARRAY_SIZE(fields))
			return -EINVAL;
	}
	v = realloc(p->supp, (p->nsupp + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->supp = v;
	v = &p->supp[p->nsupp];
	v->field = (enum field)k;
	v->glob = strdup(words[n - 1]);
	if (!v->glob)
		return -ENOMEM;
	p->nsupp++;
	return 0;
}

int ks_policy_load_suppressions(struct ks_policy *p, const char *path, char *err, size_t errlen)
{
	return read_lines(p, path, add_suppression, err, errlen);
}

static int add_known(struct ks_policy *p, char *words[2], size_t n)
{
	uint64_t sig, *v;

	(void)n;
	if (!parse_signature(words[0], strlen(words[0]), &sig))
		return -EINVAL;
	v = realloc(p->known, (p->nknown + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->known = v;
	p->known[p->nknown++] = sig;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int ks_policy_load_baseline(struct ks_policy *p, const char *path, char *err, size_t errlen)
{
	int r = read_lines(p, path, add_known, err, errlen);

	if (r == 0 && p->nknown)
		qsort(p->known, p->nknown, sizeof(*p->known), cmp_u64);
	return r;
}

const char *ks_policy_class_kinds(const char *class_name)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(classes); i++)
		if (strcmp(classes[i].name, class_name) == 0)
			return classes[i].kinds;
	return NULL;
}

/* Every kind matching one of @patterns (comma-separated globs) into the mask; false if none. */
static bool add_kinds(uint64_t *mask, const char *pattern, size_t len)
{
	char glob[64];
	bool any = false;

	if (len == 0 || len >= sizeof(glob))
		return false;
	memcpy(glob, pattern, len);
	glob[len] = '\0';
	for (unsigned k = 0; k < _KS_KIND_MAX; k++) {
		if (fnmatch(glob, ks_kind_name((enum ks_kind)k), 0) == 0) {
			*mask |= UINT64_C(1) << k;
			any = true;
		}
	}
	return any;
}

/* @list's kinds, and with @classes the kinds of the classes it names ("warning" is both). */
static bool add_list(uint64_t *mask, const char *list, bool with_classes)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		const char *kinds;
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) - 1 ? n : sizeof(name) - 1), p);
		kinds = with_classes ? ks_policy_class_kinds(name) : NULL;
		if (kinds ? !add_list(mask, kinds, false) : !add_kinds(mask, p, n))
			return false;
		p += n + (p[n] == ',');
	}
	return true;
}

int ks_policy_set_fail_on(struct ks_policy *p, const char *list, char *err, size_t errlen)
{
	uint64_t mask = 0;

	if (!*list || !add_list(&mask, list, true)) {
		snprintf(err, errlen, "--fail-on: '%s' names no kind (kinds as in the man page, or "
				      "deadlock, atomic, crash, lockdep, warning)", list);
		return -EINVAL;
	}
	p->fail_on = mask;
	return 0;
}

/* The culprit's function without GCC's suffixes, as people write it. */
static void culprit_name(const struct ks_report *r, char *buf, size_t size)
{
	const char *f = r->a.culprit && r->a.culprit->func ? r->a.culprit->func : "";

	snprintf(buf, size, "%.*s", (int)ks_func_base_len(f, strlen(f)), f);
}

bool ks_policy_suppressed(const struct ks_policy *p, const struct ks_report *r)
{
	char func[256], sig[24];

	culprit_name(r, func, sizeof(func));
	snprintf(sig, sizeof(sig), "ks-%016" PRIx64, r->a.signature);
	for (size_t i = 0; i < p->nsupp; i++) {
		const struct suppression *s = &p->supp[i];
		const char *value[] = {
			[F_FUNCTION] = func,
			[F_LOCK] = r->a.lock ? r->a.lock->name : "",
			[F_KIND] = ks_kind_name(r->kind),
			[F_SIGNATURE] = sig,
		};

		if (fnmatch(s->glob, value[s->field], 0) == 0)
			return true;
	}
	return false;
}

bool ks_policy_known(const struct ks_policy *p, const struct ks_report *r)
{
	uint64_t sig = r->a.signature;

	return p->nknown && bsearch(&sig, p->known, p->nknown, sizeof(sig), cmp_u64);
}

int ks_policy_note(struct ks_policy *p, const struct ks_report *r, size_t max)
{
	size_t lo = 0, hi = p->nseen;
	char func[256], what[512];
	struct seen *v;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->seen[mid].sig == r->a.signature)
			return 0;
		if (p->seen[mid].sig < r->a.signature)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (p->nseen >= max)
		return 0;
	culprit_name(r, func, sizeof(func));
	snprintf(what, sizeof(what), "%s %s %s", ks_kind_name(r->kind), func[0] ? func : "-",
		 r->a.lock ? r->a.lock->name : "-");
	v = realloc(p->seen, (p->nseen + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->seen = v;
	memmove(&v[lo + 1], &v[lo], (p->nseen - lo) * sizeof(*v));
	v[lo].sig = r->a.signature;
	v[lo].what = strdup(what);
	p->nseen++;
	return v[lo].what ? 0 : -ENOMEM;
}

int ks_policy_write_baseline(const struct ks_policy *p, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "we");
	int r = 0;

	if (!f) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	fputs("# ksplat baseline: the reports already known, one signature a line.\n"
	      "# ksplat --baseline FILE fails only on others. Written by ksplat --write-baseline.\n", f);
	for (size_t i = 0; i < p->nseen; i++)
		fprintf(f, "ks-%016" PRIx64 "  %s\n", p->seen[i].sig, p->seen[i].what);
	if (ferror(f))
		r = -EIO;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r < 0)
		snprintf(err, errlen, "%s: %s", path, strerror(-r));
	return r;
}

bool ks_policy_fails(const struct ks_policy *p, const struct ks_report *r)
{
	if (ks_policy_known(p, r))
		return false;
	return !p->fail_on || (p->fail_on >> r->kind & 1);
}
