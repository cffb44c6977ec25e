/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SOURCE_H
#define KSPLAT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * One input, read as records (lines): a file or standard input, plain or
 * compressed (gzip, xz, zstd, bzip2: told by content, not by name),
 * /dev/kmsg, or the journal. Following (-f), the end of the input is not the end: reads
 * return 0 ("nothing now") and ks_source_wait() says when to read again.
 */
struct ks_source;

/* One raw record, borrowed until the next ks_source_read() on its source. */
struct ks_raw {
	const char *p;
	size_t len;
	uint64_t lineno; /* 1-based position in the input */
	bool cut;        /* longer than the line limit, cut */
};

struct ks_source_opts {
	size_t max_line; /* bound of each record */
	bool follow;     /* like tail -F: wait for more, across truncation and rotation */
};

/* Open @path ("-" is standard input). */
int ks_source_open_file(const char *path, const struct ks_source_opts *o, struct ks_source **ret);
/* /dev/kmsg (or @path standing for it): one record per read, sequence gaps counted. */
int ks_source_open_kmsg(const char *path, const struct ks_source_opts *o, struct ks_source **ret);
/* The kernel's messages in the systemd journal, as /dev/kmsg records (see journal.h). */
struct ks_journal_opts;
int ks_source_open_journal(const struct ks_journal_opts *jo, const struct ks_source_opts *o,
			   struct ks_source **ret);
/*
 * Skip whole lines that @scan says nothing needs: it gets the lines buffered
 * now and returns how many bytes of them to drop (a whole number of lines),
 * with *ret_found when it stopped at a line that must be read; otherwise
 * what it kept is read again with the data that follows. Line numbers count
 * the skipped lines. Files only (plain or compressed): records of /dev/kmsg
 * and the journal are read one by one. The number of lines skipped, or -errno.
 */
typedef size_t (*ks_scan_fn)(const void *ctx, const char *text, size_t len, bool *ret_found);
int64_t ks_source_skip(struct ks_source *src, ks_scan_fn scan, const void *ctx);
/* 1 and a record; 0 at the end, or when following, nothing now; -errno on a read error. */
int ks_source_read(struct ks_source *src, struct ks_raw *ret);
/*
 * Following: wait up to @timeout_ms (-1: no limit) for more to read.
 * 1 when ks_source_read() may return more, 0 on timeout, -errno.
 */
int ks_source_wait(struct ks_source *src, int timeout_ms);
/* The input will give nothing more (its end, unless following a regular file). */
bool ks_source_ended(const struct ks_source *src);
/* Messages the kernel overwrote before they were read (/dev/kmsg), since the last call. */
uint64_t ks_source_take_lost(struct ks_source *src);
/* What a failed read or open met, beyond its errno ("not a gzip stream"), or NULL. */
const char *ks_source_error(const struct ks_source *src);
/* "gzip", "xz", ... for a compressed input, else NULL. */
const char *ks_source_codec(const struct ks_source *src);
const char *ks_source_name(const struct ks_source *src);
void ks_source_free(struct ks_source *src);

#endif
