/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_RENDER_H
#define KSPLAT_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ksplat/analyze.h"
#include "ksplat/report.h"

enum ks_format {
	KS_FORMAT_TEXT,
	KS_FORMAT_JSON,
	KS_FORMAT_JSONL,
	KS_FORMAT_JOURNAL_EXPORT, /* journal entries, as systemd-journal-remote reads them */
	KS_FORMAT_SARIF,          /* SARIF 2.1.0, for code scanning */
	KS_FORMAT_DOT,            /* Graphviz: the lock order lockdep saw, cycles marked */
	_KS_FORMAT_MAX,
	_KS_FORMAT_INVALID = -1,
};

struct ks_render_opts {
	enum ks_format format;
	bool color;
	const char *version;
	const char *const *inputs; /* names of the inputs, by source index */
	uint32_t ninputs;
	const char *srcdir;        /* --srcdir: text shows paths under it relative to it; or NULL */
	bool follow;               /* text too writes each report as soon as it is complete */
	size_t top;                /* summaries: the first @top findings only; 0: all */
	bool quiet;                /* text: the summary table only */
	bool verbose;              /* text: each finding's reassembled report lines too */
	unsigned width;            /* text: the terminal's columns, names cut to fit; 0: no limit */
	/* With a baseline: whether a report is in it (text marks it, JSON says "known"); or NULL. */
	bool (*known)(const void *ctx, const struct ks_report *r);
	const void *known_ctx;
};

struct ks_render;

int ks_render_new(const struct ks_render_opts *o, FILE *out, struct ks_render **ret);
void ks_render_free(struct ks_render *rd);
/* True when the format writes each report as soon as it is complete. */
bool ks_render_is_streaming(const struct ks_render *rd);
/* One report occurrence (streaming formats). */
void ks_render_report(struct ks_render *rd, const struct ks_report *r);
/* The ranked report at the end of the input (summary formats). */
void ks_render_summary(struct ks_render *rd, struct ks_dedup *dd);
enum ks_format ks_format_by_name(const char *name);
const char *ks_format_name(enum ks_format f);

/* Write untrusted bytes for a terminal: controls, C1 and invalid UTF-8 as \xNN. */
void ks_put_escaped(FILE *out, const char *s, size_t len);

#endif
