// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Journal entries out: the Journal Export Format on a stream, or the native
 * protocol to journald through sd_journal_sendv().
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* CODE_FILE= and CODE_LINE= would name this file, not the report's origin. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "ksplat/jexport.h"
#include "ksplat/util.h"

/* Where sd_journal_sendv() sends, and quietly drops what finds nobody there. */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"
/* journald's limit on a field name. */
#define FIELD_NAME_MAX 64

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A field a client may set: names starting with '_' are journald's own (trusted). */
static bool is_valid_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > FIELD_NAME_MAX || name[0] == '_' || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_name_char(name[i]))
			return false;
	return true;
}

static bool are_valid_fields(const struct ks_jfield *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!f[i].name || !is_valid_name(f[i].name) || (!f[i].value && f[i].len > 0))
			return false;
	return true;
}

/* The form journald itself writes: 32 lowercase hex digits. */
static bool is_valid_boot_id(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 32;
}

/* Whether @p can go in the text form: valid UTF-8 without control characters (C0, DEL, C1). */
static bool is_text(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = ks_utf8_decode((const unsigned char *)p + i, len - i, &cp);

		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return false;
		i += n;
	}
	return true;
}

static void put_bytes(FILE *out, const char *p, size_t len)
{
	/* fwrite() wants a valid pointer even for nothing. */
	if (len > 0)
		fwrite(p, 1, len, out);
}

/* "NAME=value\n", or "NAME\n" + le64 length + bytes + "\n" for anything else. */
static void put_field(FILE *out, const char *name, const char *value, size_t len)
{
	unsigned char le[8];

	fputs(name, out);
	if (is_text(value, len)) {
		fputc('=', out);
	} else {
		fputc('\n', out);
		for (size_t i = 0; i < sizeof(le); i++)
			le[i] = (unsigned char)((uint64_t)len >> (8 * i));
		fwrite(le, 1, sizeof(le), out);
	}
	put_bytes(out, value, len);
	fputc('\n', out);
}

int ks_jexport_write(FILE *out, const struct ks_jfield *f, size_t n, uint64_t realtime_usec,
		     uint64_t monotonic_usec, const char *boot_id)
{
	if (!are_valid_fields(f, n) || (boot_id && !is_valid_boot_id(boot_id)))
		return -EINVAL;
	fprintf(out, "__REALTIME_TIMESTAMP=%" PRIu64 "\n", realtime_usec);
	/* A monotonic time means nothing without the boot it counts from. */
	if (boot_id)
		fprintf(out, "__MONOTONIC_TIMESTAMP=%" PRIu64 "\n_BOOT_ID=%s\n", monotonic_usec,
			boot_id);
	for (size_t i = 0; i < n; i++)
		put_field(out, f[i].name, f[i].value, f[i].len);
	fputc('\n', out);
	return ferror(out) ? -EIO : 0;
}

int ks_jexport_send(const struct ks_jfield *f, size_t n)
{
	struct iovec *iov;
	size_t total = 0;
	char *buf, *p;
	int r;

	if (n == 0 || n > INT_MAX || !are_valid_fields(f, n))
		return -EINVAL;
	/* No journald: say so, so that the caller can warn (sd_journal_sendv() would return 0). */
	if (access(JOURNAL_SOCKET, F_OK) < 0)
		return -errno;
	for (size_t i = 0; i < n; i++) {
		size_t need = strlen(f[i].name) + 1 + f[i].len;

		if (need < f[i].len || total > SIZE_MAX - need)
			return -EINVAL;
		total += need;
	}
	iov = calloc(n, sizeof(*iov));
	buf = malloc(total);
	if (!iov || !buf) {
		free(iov);
		free(buf);
		return -ENOMEM;
	}
	/* Each iovec is "NAME=value"; values may hold newlines, the protocol sizes them. */
	p = buf;
	for (size_t i = 0; i < n; i++) {
		size_t nlen = strlen(f[i].name);

		memcpy(p, f[i].name, nlen);
		p[nlen] = '=';
		if (f[i].len > 0)
			memcpy(p + nlen + 1, f[i].value, f[i].len);
		iov[i].iov_base = p;
		iov[i].iov_len = nlen + 1 + f[i].len;
		p += iov[i].iov_len;
	}
	r = sd_journal_sendv(iov, (int)n);
	free(iov);
	free(buf);
	return r;
}
