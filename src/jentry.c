// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/jentry.h"
#include "ksplat/kinds.h"
#include "ksplat/util.h"

static void add(struct ks_jentry *e, const char *name, const char *value)
{
	if (!value || !*value || e->n == KS_JENTRY_MAX_FIELDS)
		return;
	e->f[e->n++] = (struct ks_jfield){ .name = name, .value = value, .len = strlen(value) };
}

/* Syslog priority from ksplat's severity: what can deadlock or crash is an error. */
static int priority_of(uint16_t severity)
{
	return severity >= 70 ? 3 : severity >= 40 ? 4 : 5;
}

/* "func+0xoff/0xsize [mod] (file:line)" of where the lock was taken. */
static void format_site(char *buf, size_t size, const struct ks_frame *f)
{
	int n = snprintf(buf, size, "%s+0x%" PRIx64, f->func ? f->func : "?", f->off);

	if (f->module && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " [%s]", f->module);
	if (f->file && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, " (%s:%" PRIu32 ")", f->file, f->line);
}

static char *join_lines(const struct ks_report *r)
{
	size_t total = 1;
	char *s, *p;

	for (uint32_t i = 0; i < r->lines.n; i++)
		total += strlen(r->lines.v[i]) + 1;
	if (!(s = p = malloc(total)))
		return NULL;
	for (uint32_t i = 0; i < r->lines.n; i++) {
		size_t n = strlen(r->lines.v[i]);

		memcpy(p, r->lines.v[i], n);
		p += n;
		*p++ = '\n';
	}
	if (p > s)
		p--; /* no newline after the last line */
	*p = '\0';
	return s;
}

int ks_jentry_from_report(struct ks_jentry *e, const struct ks_report *r)
{
	const struct ks_analysis *a = &r->a;
	const struct ks_frame *c = a->culprit;

	memset(e, 0, sizeof(*e));
	if (!(e->report = join_lines(r)))
		return -ENOMEM;
	snprintf(e->priority, sizeof(e->priority), "%d", priority_of(a->severity));
	snprintf(e->signature, sizeof(e->signature), "ks-%016" PRIx64, a->signature);
	add(e, "MESSAGE", a->headline);
	add(e, "MESSAGE_ID", KS_JOURNAL_MESSAGE_ID);
	add(e, "PRIORITY", e->priority);
	add(e, "SYSLOG_IDENTIFIER", "ksplat");
	add(e, "KSPLAT_KIND", ks_kind_name(r->kind));
	add(e, "KSPLAT_TITLE", a->title);
	if (c) {
		add(e, "KSPLAT_FUNCTION", c->func);
		add(e, "KSPLAT_MODULE", c->module);
		add(e, "KSPLAT_FILE", c->file);
		if (c->file) {
			snprintf(e->line, sizeof(e->line), "%" PRIu32, c->line);
			add(e, "KSPLAT_LINE", e->line);
		}
	}
	add(e, "KSPLAT_CALLEE", a->callee_api ? a->callee_api : a->callee ? a->callee->func : NULL);
	if (a->lock) {
		add(e, "KSPLAT_LOCK", a->lock->name);
		if (a->lock->has_at) {
			format_site(e->taken_at, sizeof(e->taken_at), &a->lock->at);
			add(e, "KSPLAT_LOCK_TAKEN_AT", e->taken_at);
		}
	}
	add(e, "KSPLAT_CAUSE", a->cause);
	add(e, "KSPLAT_HINT", a->hint);
	add(e, "KSPLAT_SIGNATURE", e->signature);
	add(e, "KSPLAT_KERNEL", r->kernel);
	if (r->comm) {
		if (r->pid >= 0)
			snprintf(e->task, sizeof(e->task), "%s/%" PRId64, r->comm, r->pid);
		else
			snprintf(e->task, sizeof(e->task), "%s", r->comm);
		add(e, "KSPLAT_TASK", e->task);
	}
	add(e, "KSPLAT_HOST", r->host);
	add(e, "KSPLAT_INPUT", r->input);
	add(e, "KSPLAT_REPORT", e->report);
	return 0;
}

void ks_jentry_done(struct ks_jentry *e)
{
	free(e->report);
	e->report = NULL;
}
