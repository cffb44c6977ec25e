/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_JEXPORT_H
#define KSPLAT_JEXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Reports as journal entries: written in the Journal Export Format
 * (https://systemd.io/JOURNAL_EXPORT_FORMATS/, for systemd-journal-remote
 * or a file), or sent to the running journald. A report comes as a flat
 * list of fields, so this module knows nothing of reports.
 */

/*
 * MESSAGE_ID of every entry ksplat writes, fixed once and for all so that
 * `journalctl MESSAGE_ID=c4cf7a077c134739bd3ea5a281f0eb0b` finds them, across
 * versions and machines. Callers put it in the fields themselves.
 */
#define KS_JOURNAL_MESSAGE_ID "c4cf7a077c134739bd3ea5a281f0eb0b"

/* One field. Names are 1-64 of [A-Z0-9_], not starting with a digit nor '_'. */
struct ks_jfield {
	const char *name;  /* borrowed, NUL-terminated */
	const char *value; /* borrowed, @len bytes, any bytes (NULL when len is 0) */
	size_t len;
};

/*
 * Write one entry to @out: __REALTIME_TIMESTAMP=@realtime_usec, then, when
 * @boot_id (32 lowercase hex digits) is not NULL, __MONOTONIC_TIMESTAMP and
 * _BOOT_ID, then the fields in order, and the empty line ending the entry.
 * A value with a newline, another control byte or invalid UTF-8 goes in the
 * binary form (name, newline, 64-bit little-endian length, bytes, newline).
 * Every name is checked before anything is written: -EINVAL for a bad name
 * or boot ID, -EIO when writing failed, else 0.
 */
int ks_jexport_write(FILE *out, const struct ks_jfield *f, size_t n, uint64_t realtime_usec,
		     uint64_t monotonic_usec, const char *boot_id);

/*
 * Send the fields as one entry to the running journald (sd_journal_sendv);
 * journald adds the time, boot and the other trusted fields, and
 * SYSLOG_IDENTIFIER is the program's name unless a field sets it. 0, -EINVAL for
 * a bad name, or -errno: -ENOENT or -ECONNREFUSED when there is no journald
 * to take it, which a caller reports once and then stops trying.
 */
int ks_jexport_send(const struct ks_jfield *f, size_t n);

#endif
