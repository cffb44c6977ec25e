/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SOURCE_H
#define KSPLAT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One input: a file or standard input today; /dev/kmsg, the journal and
 * compressed files plug in behind the same ops table.
 */
struct ks_source;

/* One raw record, borrowed until the next ks_source_read() on its source. */
struct ks_raw {
	const char *p;
	size_t len;
	uint64_t lineno; /* 1-based position in the input */
	bool cut;        /* longer than the line limit, cut */
};

/* Open @path ("-" is standard input). @max_line bounds each record. */
int ks_source_open_file(const char *path, size_t max_line, struct ks_source **ret);
/* 1 and a record, 0 at the end, -errno on a read error. */
int ks_source_read(struct ks_source *src, struct ks_raw *ret);
const char *ks_source_name(const struct ks_source *src);
void ks_source_free(struct ks_source *src);

#endif
