// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/lbuf.h"

#define LBUF_MIN_SIZE (64 * 1024)

int ks_lbuf_init(struct ks_lbuf *lb, size_t max_line, ks_read_fn read_fn, void *ctx)
{
	size_t size = max_line * 2 > LBUF_MIN_SIZE ? max_line * 2 : LBUF_MIN_SIZE;

	if (max_line == 0)
		return -EINVAL;
	memset(lb, 0, sizeof(*lb));
	lb->buf = malloc(size);
	if (!lb->buf)
		return -ENOMEM;
	lb->size = size;
	lb->max_line = max_line;
	lb->read_fn = read_fn;
	lb->ctx = ctx;
	return 0;
}

void ks_lbuf_resume(struct ks_lbuf *lb)
{
	lb->eof = false;
}

void ks_lbuf_reset(struct ks_lbuf *lb)
{
	lb->start = lb->end = 0;
	lb->eof = false;
	lb->skipping = false;
}

void ks_lbuf_done(struct ks_lbuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
}

/* Move the unconsumed tail to the front and read more; 1 read, 0 eof, -errno. */
static int lbuf_fill(struct ks_lbuf *lb)
{
	ssize_t n;

	if (lb->start > 0) {
		memmove(lb->buf, lb->buf + lb->start, lb->end - lb->start);
		lb->end -= lb->start;
		lb->start = 0;
	}
	do
		n = lb->read_fn(lb->ctx, lb->buf + lb->end, lb->size - lb->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0) {
		lb->eof = true;
		return 0;
	}
	lb->end += (size_t)n;
	return 1;
}

int ks_lbuf_peek(struct ks_lbuf *lb, const char **ret, size_t *ret_len)
{
	for (;;) {
		const char *p = lb->buf + lb->start;
		size_t avail = lb->end - lb->start;
		const char *last = avail && !lb->skipping ? memrchr(p, '\n', avail) : NULL;
		int r;

		if (last) {
			*ret = p;
			*ret_len = (size_t)(last - p) + 1;
			return 1;
		}
		if (lb->skipping || avail > lb->max_line || lb->eof)
			return 0;
		if ((r = lbuf_fill(lb)) <= 0)
			return r;
	}
}

void ks_lbuf_consume(struct ks_lbuf *lb, size_t n)
{
	lb->start += n;
}

int ks_lbuf_more(struct ks_lbuf *lb)
{
	if (lb->eof || lb->skipping || lb->end - lb->start >= lb->size)
		return 0;
	return lbuf_fill(lb);
}

int ks_lbuf_next(struct ks_lbuf *lb, const char **ret_line, size_t *ret_len, bool *ret_cut)
{
	for (;;) {
		char *p = lb->buf + lb->start;
		size_t avail = lb->end - lb->start;
		char *nl = avail ? memchr(p, '\n', avail) : NULL;

		if (lb->skipping) {
			/* Drop the tail of a line that was already returned cut. */
			if (nl) {
				lb->start += (size_t)(nl - p) + 1;
				lb->skipping = false;
				continue;
			}
			lb->start = lb->end;
		} else if (nl && (size_t)(nl - p) <= lb->max_line) {
			*ret_line = p;
			*ret_len = (size_t)(nl - p);
			*ret_cut = false;
			lb->start += *ret_len + 1;
			return 1;
		} else if (avail > lb->max_line || (nl && (size_t)(nl - p) > lb->max_line)) {
			*ret_line = p;
			*ret_len = lb->max_line;
			*ret_cut = true;
			lb->start += lb->max_line;
			lb->skipping = true;
			return 1;
		} else if (lb->eof) {
			/* A line still being written when following: wait for its end. */
			if (avail == 0 || lb->follow)
				return 0;
			/* Last line without a newline. */
			*ret_line = p;
			*ret_len = avail;
			*ret_cut = false;
			lb->start = lb->end;
			return 1;
		}
		if (lb->eof)
			return 0;
		int r = lbuf_fill(lb);
		if (r < 0)
			return r;
	}
}
