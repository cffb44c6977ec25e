// SPDX-License-Identifier: GPL-2.0-or-later
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ksplat/journal.h"
#include "ksplat/lbuf.h"
#include "ksplat/source.h"
#include "ksplat/util.h"

/* Bytes read to tell a compressed input: xz's magic is the longest. */
#define SNIFF_BYTES 6
/* What the decompressor is handed at a time. */
#define ARCHIVE_BLOCK (64 * 1024)
/* How often a followed file is looked at for growth, truncation or rotation. */
#define FOLLOW_POLL_MS 200

struct ks_source {
	char *name;
	char *path;      /* reopened when a followed file is rotated; NULL for stdin */
	int fd;
	bool own_fd;
	bool follow;
	bool regular;    /* a regular file: end of file is "nothing yet" when following */
	bool kmsg;       /* /dev/kmsg records */
	struct ks_journal *journal; /* the journal's kernel messages, as kmsg records */
	bool ended;      /* the writer is gone (pipe closed): nothing more will come */
	uint64_t lineno;
	struct ks_lbuf lb;
	unsigned char head[SNIFF_BYTES]; /* read to tell the format, served first */
	size_t nhead, head_pos;
	struct archive *ar; /* a compressed input's decompressor, else NULL */
	const char *codec;
	unsigned char *block;
	uint64_t kmsg_next_seq; /* sequence number the next kmsg record should have, 0 unknown */
	uint64_t lost;
	struct timespec seen_mtime; /* of a followed file when all of it had been read */
	bool seen_mtime_set;
	char err[256];
};

static const struct {
	const char *codec;
	unsigned char magic[SNIFF_BYTES];
	size_t len;
	int (*support)(struct archive *);
} codecs[] = {
	{ "gzip", { 0x1f, 0x8b }, 2, archive_read_support_filter_gzip },
	{ "xz", { 0xfd, '7', 'z', 'X', 'Z', 0x00 }, 6, archive_read_support_filter_xz },
	{ "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4, archive_read_support_filter_zstd },
	{ "bzip2", { 'B', 'Z', 'h' }, 3, archive_read_support_filter_bzip2 },
};

/* Following a pipe or a terminal, a read must not block: is there something to read? */
static bool readable_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* The input's bytes: the sniffed head first, then the descriptor. */
static ssize_t raw_read(struct ks_source *src, void *buf, size_t len)
{
	if (src->head_pos < src->nhead) {
		size_t n = src->nhead - src->head_pos < len ? src->nhead - src->head_pos : len;

		memcpy(buf, src->head + src->head_pos, n);
		src->head_pos += n;
		return (ssize_t)n;
	}
	if (src->follow && !src->regular && !readable_now(src->fd)) {
		errno = EAGAIN;
		return -1;
	}
	return read(src->fd, buf, len);
}

static ssize_t plain_read(void *ctx, void *buf, size_t len)
{
	return raw_read(ctx, buf, len);
}

/* libarchive's input callback. */
static la_ssize_t archive_fill(struct archive *a, void *ctx, const void **buf)
{
	struct ks_source *src = ctx;
	ssize_t n;

	do
		n = raw_read(src, src->block, ARCHIVE_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	*buf = src->block;
	return n;
}

static ssize_t archive_data(void *ctx, void *buf, size_t len)
{
	struct ks_source *src = ctx;
	la_ssize_t n = archive_read_data(src->ar, buf, len);

	if (n < 0) {
		snprintf(src->err, sizeof(src->err), "%s data: %s", src->codec,
			 archive_error_string(src->ar) ? archive_error_string(src->ar) : "unreadable");
		errno = EIO;
		return -1;
	}
	return n;
}

/* Read the first bytes; a known magic number makes the input a compressed one. */
static int sniff(struct ks_source *src)
{
	while (src->nhead < SNIFF_BYTES) {
		ssize_t n = read(src->fd, src->head + src->nhead, SNIFF_BYTES - src->nhead);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		src->nhead += (size_t)n;
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(codecs); i++)
		if (src->nhead >= codecs[i].len && memcmp(src->head, codecs[i].magic, codecs[i].len) == 0)
			return (int)i + 1;
	return 0;
}

static int open_decompressor(struct ks_source *src, size_t codec)
{
	struct archive_entry *entry;

	src->codec = codecs[codec].codec;
	src->block = malloc(ARCHIVE_BLOCK);
	src->ar = archive_read_new();
	if (!src->block || !src->ar)
		return -ENOMEM;
	if (codecs[codec].support(src->ar) != ARCHIVE_OK ||
	    archive_read_support_format_raw(src->ar) != ARCHIVE_OK ||
	    archive_read_open(src->ar, src, NULL, archive_fill, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(src->ar, &entry) != ARCHIVE_OK) {
		snprintf(src->err, sizeof(src->err), "%s: %s", src->codec,
			 archive_error_string(src->ar) ? archive_error_string(src->ar) : "cannot read");
		return -EIO;
	}
	return 0;
}

static struct ks_source *source_new(const char *name, const char *path, const struct ks_source_opts *o)
{
	struct ks_source *src = calloc(1, sizeof(*src));

	if (!src)
		return NULL;
	src->fd = -1;
	src->follow = o->follow;
	src->name = strdup(name);
	src->path = path ? strdup(path) : NULL;
	if (!src->name || (path && !src->path)) {
		ks_source_free(src);
		return NULL;
	}
	return src;
}

int ks_source_open_file(const char *path, const struct ks_source_opts *o, struct ks_source **ret)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct ks_source *src = source_new(is_stdin ? "(standard input)" : path, is_stdin ? NULL : path, o);
	struct stat st;
	int r, codec;

	if (!src)
		return -ENOMEM;
	if (is_stdin) {
		src->fd = STDIN_FILENO;
	} else if ((src->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		r = -errno;
		goto fail;
	} else {
		src->own_fd = true;
	}
	if (fstat(src->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		r = -EISDIR;
		goto fail;
	}
	src->regular = S_ISREG(st.st_mode);
	if ((codec = sniff(src)) < 0) {
		r = codec;
		goto fail;
	}
	if (codec) {
		/* A compressed file is read once: appending to it makes no new lines. */
		src->follow = false;
		if ((r = open_decompressor(src, (size_t)codec - 1)) < 0)
			goto fail;
	}
	r = ks_lbuf_init(&src->lb, o->max_line, codec ? archive_data : plain_read, src);
	if (r < 0)
		goto fail;
	src->lb.follow = src->follow && src->regular;
	*ret = src;
	return 0;
fail:
	*ret = src; /* for ks_source_error(); the caller frees it */
	return r;
}

int ks_source_open_kmsg(const char *path, const struct ks_source_opts *o, struct ks_source **ret)
{
	struct ks_source *src = source_new(path, path, o);
	int r;

	if (!src)
		return -ENOMEM;
	*ret = src;
	src->kmsg = true;
	/* Non-blocking: reading stops at the newest record unless following. */
	src->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (src->fd < 0)
		return -errno;
	src->own_fd = true;
	r = ks_lbuf_init(&src->lb, o->max_line, plain_read, src);
	return r;
}

/* "prio,seq,...": count the records between the last one and this one as lost. */
static void kmsg_sequence(struct ks_source *src, const char *p, size_t len)
{
	const char *comma = memchr(p, ',', len);
	uint64_t seq;

	if (!comma || comma == p || ks_parse_u64(comma + 1, len - (size_t)(comma + 1 - p), 10, &seq) == 0)
		return;
	if (src->kmsg_next_seq && seq > src->kmsg_next_seq)
		src->lost += seq - src->kmsg_next_seq;
	src->kmsg_next_seq = seq + 1;
}

int ks_source_open_journal(const struct ks_journal_opts *jo, const struct ks_source_opts *o,
			   struct ks_source **ret)
{
	struct ks_journal_opts follow = *jo;
	struct ks_source *src = source_new("journal", NULL, o);
	int r;

	if (!src)
		return -ENOMEM;
	*ret = src;
	follow.follow = o->follow;
	r = ks_journal_open(&follow, &src->journal, src->err, sizeof(src->err));
	return r;
}

static int journal_read(struct ks_source *src, struct ks_raw *ret)
{
	const char *rec;
	size_t len;
	int r = ks_journal_next(src->journal, &rec, &len);

	if (r == 0 && !src->follow)
		src->ended = true;
	if (r <= 0)
		return r;
	ret->p = rec;
	ret->len = len;
	ret->cut = ks_journal_is_cut(src->journal);
	ret->lineno = ++src->lineno;
	return 1;
}

int ks_source_read(struct ks_source *src, struct ks_raw *ret)
{
	const char *line;
	size_t len;
	bool cut;
	int r;

	if (src->journal)
		return journal_read(src, ret);
	if (src->follow)
		ks_lbuf_resume(&src->lb);
	for (;;) {
		r = ks_lbuf_next(&src->lb, &line, &len, &cut);
		/* /dev/kmsg: the reader fell behind and records were overwritten; go on. */
		if (r == -EPIPE && src->kmsg)
			continue;
		break;
	}
	if (r == -EAGAIN) {
		/* Nothing now: the end of /dev/kmsg's records unless following. */
		if (!src->follow)
			src->ended = true;
		return 0;
	}
	if (r == 0 && (!src->follow || !src->regular))
		src->ended = true;
	if (r <= 0)
		return r;
	if (src->kmsg && len && line[0] != ' ')
		kmsg_sequence(src, line, len);
	ret->p = line;
	ret->len = len;
	ret->cut = cut;
	ret->lineno = ++src->lineno;
	return 1;
}

int64_t ks_source_skip(struct ks_source *src, ks_scan_fn scan, const void *ctx)
{
	int64_t lines = 0;

	if (src->journal || src->kmsg)
		return 0;
	if (src->follow)
		ks_lbuf_resume(&src->lb);
	for (;;) {
		const char *p;
		size_t len, drop, n;
		bool found;
		int r = ks_lbuf_peek(&src->lb, &p, &len);

		/* Nothing whole now (EAGAIN: a pipe being followed): ks_source_read() decides. */
		if (r == 0 || r == -EAGAIN)
			return lines;
		if (r < 0)
			return r;
		drop = scan(ctx, p, len, &found);
		n = ks_count_byte(p, drop, '\n');
		src->lineno += n;
		lines += (int64_t)n;
		ks_lbuf_consume(&src->lb, drop);
		if (found)
			return lines;
		/* What the scan kept stays for the next block: read that in behind it. */
		r = ks_lbuf_more(&src->lb);
		if (r == 0 || r == -EAGAIN)
			return lines;
		if (r < 0)
			return r;
	}
}

/* A followed file was replaced (logrotate): read the new one from its start. */
static int reopen(struct ks_source *src)
{
	int fd = open(src->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0; /* not there yet: keep waiting */
	if (src->own_fd)
		close(src->fd);
	src->fd = fd;
	src->own_fd = true;
	ks_lbuf_reset(&src->lb);
	src->lineno = 0;
	src->seen_mtime_set = false;
	return 1;
}

/* A followed regular file: grown, truncated, or replaced? 1 when there is more to read. */
static int file_changed(struct ks_source *src)
{
	struct stat now, named;
	off_t pos = lseek(src->fd, 0, SEEK_CUR);

	if (fstat(src->fd, &now) < 0)
		return -errno;
	/*
	 * Truncated (copytruncate): start again from its beginning. Rewritten to
	 * the very size already read, only its modification time tells.
	 */
	if (pos >= 0 && (now.st_size < pos || (now.st_size == pos && src->seen_mtime_set &&
					       (now.st_mtim.tv_sec != src->seen_mtime.tv_sec ||
						now.st_mtim.tv_nsec != src->seen_mtime.tv_nsec)))) {
		src->seen_mtime_set = false;
		if (lseek(src->fd, 0, SEEK_SET) < 0)
			return -errno;
		ks_lbuf_reset(&src->lb);
		src->lineno = 0;
		return 1;
	}
	if (pos >= 0 && now.st_size > pos)
		return 1;
	src->seen_mtime = now.st_mtim;
	src->seen_mtime_set = true;
	if (src->path && stat(src->path, &named) == 0 &&
	    (named.st_ino != now.st_ino || named.st_dev != now.st_dev))
		return reopen(src);
	return 0;
}

int ks_source_wait(struct ks_source *src, int timeout_ms)
{
	if (src->ended)
		return 0;
	if (src->journal)
		return ks_journal_wait(src->journal, timeout_ms < 0 ? UINT64_MAX : (uint64_t)timeout_ms * 1000);
	if (!src->regular) {
		struct pollfd p = { .fd = src->fd, .events = POLLIN };
		int n = poll(&p, 1, timeout_ms);

		return n < 0 ? (errno == EINTR ? 0 : -errno) : n > 0;
	}
	for (int waited = 0;; waited += FOLLOW_POLL_MS) {
		int r = file_changed(src);

		if (r != 0)
			return r;
		if (timeout_ms >= 0 && waited >= timeout_ms)
			return 0;
		poll(NULL, 0, timeout_ms < 0 || timeout_ms - waited > FOLLOW_POLL_MS ? FOLLOW_POLL_MS
										 : timeout_ms - waited);
	}
}

bool ks_source_ended(const struct ks_source *src)
{
	return src->ended;
}

uint64_t ks_source_take_lost(struct ks_source *src)
{
	uint64_t n = src->lost;

	src->lost = 0;
	return n;
}

const char *ks_source_error(const struct ks_source *src)
{
	return src->err[0] ? src->err : NULL;
}

const char *ks_source_codec(const struct ks_source *src)
{
	return src->codec;
}

const char *ks_source_name(const struct ks_source *src)
{
	return src->name;
}

void ks_source_free(struct ks_source *src)
{
	if (!src)
		return;
	if (src->ar)
		archive_read_free(src->ar);
	ks_journal_free(src->journal);
	free(src->block);
	ks_lbuf_done(&src->lb);
	if (src->own_fd)
		close(src->fd);
	free(src->name);
	free(src->path);
	free(src);
}
