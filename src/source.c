// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksplat/lbuf.h"
#include "ksplat/source.h"

struct ks_source_ops {
	int (*read)(struct ks_source *src, struct ks_raw *ret);
	void (*close)(struct ks_source *src);
};

struct ks_source {
	const struct ks_source_ops *ops;
	char *name;
	int fd;
	bool own_fd;
	uint64_t lineno;
	struct ks_lbuf lb;
};

static ssize_t fd_read(void *ctx, void *buf, size_t len)
{
	struct ks_source *src = ctx;

	return read(src->fd, buf, len);
}

static int file_read(struct ks_source *src, struct ks_raw *ret)
{
	const char *line;
	size_t len;
	bool cut;
	int r = ks_lbuf_next(&src->lb, &line, &len, &cut);

	if (r <= 0)
		return r;
	ret->p = line;
	ret->len = len;
	ret->cut = cut;
	ret->lineno = ++src->lineno;
	return 1;
}

static void file_close(struct ks_source *src)
{
	ks_lbuf_done(&src->lb);
	if (src->own_fd)
		close(src->fd);
}

static const struct ks_source_ops file_ops = {
	.read = file_read,
	.close = file_close,
};

int ks_source_open_file(const char *path, size_t max_line, struct ks_source **ret)
{
	struct ks_source *src;
	bool is_stdin = strcmp(path, "-") == 0;
	struct stat st;
	int r;

	src = calloc(1, sizeof(*src));
	if (!src)
		return -ENOMEM;
	src->ops = &file_ops;
	src->name = strdup(is_stdin ? "(standard input)" : path);
	if (!src->name) {
		free(src);
		return -ENOMEM;
	}
	if (is_stdin) {
		src->fd = STDIN_FILENO;
	} else {
		src->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (src->fd < 0) {
			r = -errno;
			goto out_free;
		}
		src->own_fd = true;
		if (fstat(src->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			r = -EISDIR;
			goto out_close;
		}
	}
	r = ks_lbuf_init(&src->lb, max_line, fd_read, src);
	if (r < 0)
		goto out_close;
	*ret = src;
	return 0;

out_close:
	if (src->own_fd)
		close(src->fd);
out_free:
	free(src->name);
	free(src);
	return r;
}

int ks_source_read(struct ks_source *src, struct ks_raw *ret)
{
	return src->ops->read(src, ret);
}

const char *ks_source_name(const struct ks_source *src)
{
	return src->name;
}

void ks_source_free(struct ks_source *src)
{
	if (!src)
		return;
	src->ops->close(src);
	free(src->name);
	free(src);
}
