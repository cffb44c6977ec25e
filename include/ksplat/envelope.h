/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_ENVELOPE_H
#define KSPLAT_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksplat/util.h"

/* How a line was wrapped; detected per line because real files mix them. */
enum ks_env_kind {
	KS_ENV_BARE,      /* no prefix: printk.time=0, pasted reports, userspace */
	KS_ENV_DMESG,     /* [ 12.345678] (console, dmesg, -r, -T, -d, reltime) */
	KS_ENV_DMESG_ISO, /* dmesg --time-format iso */
	KS_ENV_KMSG,      /* /dev/kmsg record: prio,seq,usec,flags;text */
	KS_ENV_SYSLOG,    /* kern.log, RFC 3164/5424, journalctl short* */
	KS_ENV_CONT,      /* util-linux/journalctl continuation of a multi-line record */
	_KS_ENV_MAX,
};

enum ks_caller_type {
	KS_CALLER_NONE,
	KS_CALLER_TASK, /* [  T123]: pid */
	KS_CALLER_CPU,  /* [    C1]: cpu, printed from interrupt context */
};

enum {
	KS_LINE_CUT = 1 << 0,  /* longer than the line limit; the rest was dropped */
	KS_LINE_CONT = 1 << 1, /* kmsg fragment flag 'c' (or '+' of old kernels) */
	KS_LINE_USER = 1 << 2, /* userspace text: syslog tag not "kernel", kmsg facility != 0 */
};

/* One logical kernel message line, envelope removed. Borrowed: valid until the next feed. */
struct ks_line {
	const char *text;        /* message text, not NUL-terminated */
	size_t len;
	uint64_t ts_ns;          /* kernel time since boot, or KS_TIME_NONE */
	struct ks_span wall;     /* wall clock as printed by syslog/journal/dmesg -T, or empty */
	uint32_t caller;         /* pid or cpu, see caller_type */
	uint8_t caller_type;     /* enum ks_caller_type */
	int8_t level;            /* 0..7, -1 unknown */
	uint8_t env;             /* enum ks_env_kind */
	uint16_t flags;          /* KS_LINE_* */
	uint64_t seq;            /* kmsg sequence number, 0 if none */
	uint64_t lineno;         /* position of the raw line in its input */
	const char *host;        /* _HOSTNAME of the journal's records so far, or NULL */
	const char *boot_id;     /* _BOOT_ID likewise */
	const char *machine_id;  /* _MACHINE_ID likewise */
};

struct ks_envelope;

/* @max_line bounds a raw line; decoded text is never longer. */
int ks_envelope_new(size_t max_line, struct ks_envelope **ret);
void ks_envelope_free(struct ks_envelope *env);
/* Reset per-input state (continuations never cross inputs). */
void ks_envelope_reset(struct ks_envelope *env);
/* Lines were skipped unread: the next line continues no record seen so far. */
void ks_envelope_break(struct ks_envelope *env);
/* Decode one raw input line (no '\n'); then drain ks_envelope_next(). */
void ks_envelope_feed(struct ks_envelope *env, const char *raw, size_t len, uint64_t lineno, bool cut);
/* Next decoded line of the last feed: true and *ret, or false when drained. */
bool ks_envelope_next(struct ks_envelope *env, struct ks_line *ret);
const char *ks_env_kind_name(enum ks_env_kind kind);

#endif
