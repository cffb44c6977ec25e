/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_JOURNAL_H
#define KSPLAT_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Kernel messages from the systemd journal, read through sd-journal and
 * handed on as /dev/kmsg records, so that the envelope decodes them like
 * any other kmsg input:
 *
 *   PRI,SEQ,TS_USEC,-;MESSAGE
 *    _BOOT_ID=...
 *    _HOSTNAME=...
 *
 * PRI is PRIORITY + 8 * SYSLOG_FACILITY (PRIORITY 6 when missing, facility
 * 0); SEQ counts the records returned, from 1, because journald keeps no
 * kernel sequence number; TS_USEC is the kernel's own time stamp
 * (_SOURCE_MONOTONIC_TIMESTAMP), else the entry's monotonic time. MESSAGE is
 * escaped as /dev/kmsg does it (bytes below 0x20, from 0x7f and '\' as
 * \xNN), so a multi-line message stays one record. The dictionary lines
 * that follow, one per ks_journal_next() call, carry SUBSYSTEM and DEVICE
 * (journald's _KERNEL_SUBSYSTEM and _KERNEL_DEVICE) and the entry's
 * _BOOT_ID, _HOSTNAME and _MACHINE_ID when present.
 *
 * journald does not store the caller id (caller=T123) nor the kmsg sequence
 * number of a record: reports from a journal are told apart by time only.
 *
 * Only entries with _TRANSPORT=kernel are read: what the kernel printed,
 * and what userspace wrote to /dev/kmsg (facility other than 0).
 */
struct ks_journal;

/* A MESSAGE (or dictionary value) longer than this is cut to it. */
#define KS_JOURNAL_MAX_MESSAGE (64 * 1024)

struct ks_journal_opts {
	/* --journal-file: these journal files (nfiles > 0), or ... */
	const char *const *files;
	size_t nfiles;
	/* --journal-dir: the journal files in this directory, or, neither: the local system journal. */
	const char *dir;
	/*
	 * -b: NULL reads every boot. Like journalctl -b: "" or "0" is the latest
	 * boot (of the running system when reading its journal), "-1", "-2"...
	 * count back from it, "1" or "+1", "+2"... forward from the first boot;
	 * a boot ID (32 hex digits) selects that boot, "ID+N" and "ID-N" the
	 * boots after or before it. Boots are ordered by their first entry.
	 */
	const char *boot;
	/* --since and --until, inclusive, see ks_journal_parse_time(); NULL: no bound. */
	const char *since;
	const char *until;
	/*
	 * Follow: the entries already in the journal are read first (subject to
	 * boot and since), then ks_journal_next() returns 0 for "nothing new
	 * now" and ks_journal_wait() says when to read again. Reading the
	 * backlog first is what makes a report printed just before ksplat
	 * started complete; pass boot "0" or a since time to skip older boots.
	 * Cannot be combined with until.
	 */
	bool follow;
};

/*
 * Open the journal and position it at the first entry wanted. On failure
 * returns -errno (-EINVAL for a bad option value, -ENOENT for a boot or
 * journal that is not there) and writes a one-line message to @err.
 */
int ks_journal_open(const struct ks_journal_opts *o, struct ks_journal **ret, char *err,
		    size_t errlen);
void ks_journal_free(struct ks_journal *j);

/*
 * 1 and the next record (a kmsg record or a dictionary line, no '\n'),
 * valid until the next call on @j; 0 when there is none: the end of the
 * journal (or of --until), or when following, nothing new now; -errno.
 */
int ks_journal_next(struct ks_journal *j, const char **ret_record, size_t *ret_len);

/* Whether the record last returned had its text cut to KS_JOURNAL_MAX_MESSAGE. */
bool ks_journal_is_cut(const struct ks_journal *j);

/*
 * Boot ID (32 hex digits) of the entry last returned, "" before the first:
 * a change means a reboot, and reports still open there ended with it.
 */
const char *ks_journal_boot_id(const struct ks_journal *j);

/*
 * Following: wait up to @timeout_usec (UINT64_MAX: no limit) for the
 * journal to change. 1 when entries were appended or files were added or
 * removed (rotation, vacuuming; reading goes on where it was), 0 on timeout,
 * on a change that concerns no file read, or when a signal arrived, so that
 * a caller can look at its stop flag; -errno.
 */
int ks_journal_wait(struct ks_journal *j, uint64_t timeout_usec);

/*
 * journalctl's --since/--until times, in the local time zone:
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.ffffff]]" (or 'T' between), "HH:MM[:SS]"
 * (today), each with an optional " UTC"; "@SECONDS[.ffffff]" since the
 * epoch; "now", "today", "yesterday", "tomorrow"; relative to @now_usec:
 * "-30s", "+5min", "-1h30min", "2 days ago" (units us, ms, s, min or m, h,
 * d, w and their long names). 0 and *ret_usec (µs since the epoch), or -EINVAL.
 */
int ks_journal_parse_time(const char *s, uint64_t now_usec, uint64_t *ret_usec);

#endif
