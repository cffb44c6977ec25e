/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_LBUF_H
#define KSPLAT_LBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A bounded line reader. Invariants: the buffer never grows after init; a
 * line longer than max_line is returned cut to max_line bytes with *ret_cut
 * set, and the rest of it is skipped; a returned line is valid until the next
 * call and never contains its '\n'. Reads go through @read_fn so that a
 * decompressor can stand in for read(2).
 */
typedef ssize_t (*ks_read_fn)(void *ctx, void *buf, size_t len);

struct ks_lbuf {
	ks_read_fn read_fn;
	void *ctx;
	char *buf;
	size_t size;     /* bytes allocated: 2 * max_line, at least 64 KiB */
	size_t max_line; /* longest line returned whole */
	size_t start;    /* first unconsumed byte */
	size_t end;      /* one past the last byte read */
	bool eof;
	bool skipping;   /* inside the tail of a cut line */
	bool follow;     /* more may come after the end: keep a last line without '\n' */
};

int ks_lbuf_init(struct ks_lbuf *lb, size_t max_line, ks_read_fn read_fn, void *ctx);
/* 1 and a line, 0 at end of input, or -errno from the read function. */
int ks_lbuf_next(struct ks_lbuf *lb, const char **ret_line, size_t *ret_len, bool *ret_cut);
/*
 * The whole lines buffered now, reading more when none is: 1 and the bytes
 * from the next line through the last '\n' (valid until the next call), 0
 * when there is no whole line to give (the end, a line longer than max_line,
 * the tail of a cut one: ks_lbuf_next() deals with those), -errno.
 */
int ks_lbuf_peek(struct ks_lbuf *lb, const char **ret, size_t *ret_len);
/* Drop @n bytes of what ks_lbuf_peek() gave, a whole number of lines. */
void ks_lbuf_consume(struct ks_lbuf *lb, size_t n);
/*
 * Read more behind what is buffered, keeping all of it: 1 when something was
 * read, 0 at the end or when the buffer is full, -errno.
 */
int ks_lbuf_more(struct ks_lbuf *lb);
/* Following a growing input: read again after the end was seen. */
void ks_lbuf_resume(struct ks_lbuf *lb);
/* Forget what is buffered (the input was truncated or replaced). */
void ks_lbuf_reset(struct ks_lbuf *lb);
void ks_lbuf_done(struct ks_lbuf *lb);

#endif
