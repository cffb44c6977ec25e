// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel messages from the systemd journal through sd-journal: options
 * resolved to matches and a start position (journalctl's -b, --since,
 * --until), then each entry rendered as the /dev/kmsg record it came from,
 * so the envelope has one kmsg decoder for the device and the journal.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "ksplat/journal.h"
#include "ksplat/util.h"

#define USEC_PER_SEC UINT64_C(1000000)
/* journald's own default for an entry that names no priority (LOG_INFO). */
#define DEFAULT_PRIORITY 6
/* "PRI,SEQ,TS_USEC,-;" or " KEY=": three numbers of at most 20 digits and punctuation. */
#define RECORD_HEAD_MAX 64
/* Every byte of a message may become the four of "\xNN". */
#define RECORD_MAX (RECORD_HEAD_MAX + 4 * (size_t)KS_JOURNAL_MAX_MESSAGE)

#define TIME_FORMS                                                                             \
	"expected YYYY-MM-DD [HH:MM[:SS]], @SECONDS, now, today, yesterday, or a relative time " \
	"like -5min"

struct ks_journal {
	sd_journal *sd;
	uint64_t since_usec;   /* first wall time wanted (us since the epoch), 0: no bound */
	uint64_t until_usec;   /* last wall time wanted, UINT64_MAX: no bound */
	bool done;             /* an entry after until was met: nothing more to read */
	bool in_entry;         /* dictionary lines of the current entry are pending */
	size_t dict_next;      /* next index into dict_fields[] */
	uint64_t seq;          /* records returned so far: the SEQ of the last one */
	bool cut;              /* the record in buf was cut */
	char boot_id[SD_ID128_STRING_MAX]; /* of the entry last returned, "" before */
	char *buf;             /* the record returned, RECORD_MAX + 1 bytes, owned */
};

/* Journal fields handed on as kmsg dictionary lines, in this order. */
static const struct dict_field {
	const char *field; /* in the journal */
	const char *key;   /* in the dictionary line */
} dict_fields[] = {
	/* journald stores the kernel's own dictionary with a "_KERNEL_" prefix. */
	{ "_KERNEL_SUBSYSTEM", "SUBSYSTEM" },
	{ "_KERNEL_DEVICE", "DEVICE" },
	{ "_BOOT_ID", "_BOOT_ID" },
	{ "_HOSTNAME", "_HOSTNAME" },
	{ "_MACHINE_ID", "_MACHINE_ID" },
};

/* Write the message for a failure to @err and return @r, in one step. */
KS_PRINTF(4, 5) static int fail(char *err, size_t errlen, int r, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return r;
}

/* ---- Times: journalctl's --since/--until grammar ---- */

static const struct span_unit {
	const char *name;
	uint64_t usec;
} span_units[] = {
	{ "us", 1 },
	{ "usec", 1 },
	{ "ms", 1000 },
	{ "msec", 1000 },
	{ "s", USEC_PER_SEC },
	{ "sec", USEC_PER_SEC },
	{ "second", USEC_PER_SEC },
	{ "seconds", USEC_PER_SEC },
	{ "m", 60 * USEC_PER_SEC },
	{ "min", 60 * USEC_PER_SEC },
	{ "minute", 60 * USEC_PER_SEC },
	{ "minutes", 60 * USEC_PER_SEC },
	{ "h", 3600 * USEC_PER_SEC },
	{ "hr", 3600 * USEC_PER_SEC },
	{ "hour", 3600 * USEC_PER_SEC },
	{ "hours", 3600 * USEC_PER_SEC },
	{ "d", 86400 * USEC_PER_SEC },
	{ "day", 86400 * USEC_PER_SEC },
	{ "days", 86400 * USEC_PER_SEC },
	{ "w", 7 * 86400 * USEC_PER_SEC },
	{ "week", 7 * 86400 * USEC_PER_SEC },
	{ "weeks", 7 * 86400 * USEC_PER_SEC },
};

static const struct day_word {
	const char *name;
	int days; /* from today */
} day_words[] = {
	{ "today", 0 },
	{ "yesterday", -1 },
	{ "tomorrow", 1 },
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static uint64_t unit_usec(const char *p, size_t len)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(span_units); i++)
		if (strlen(span_units[i].name) == len && memcmp(span_units[i].name, p, len) == 0)
			return span_units[i].usec;
	return 0;
}

/* "1h30min", "5 min", "30": numbers each followed by a unit (seconds when the last has none). */
static int parse_span(const char *p, size_t len, uint64_t *ret_usec)
{
	uint64_t total = 0;
	size_t i = 0;

	if (len == 0)
		return -EINVAL;
	while (i < len) {
		uint64_t n, unit = USEC_PER_SEC;
		size_t digits = ks_parse_u64(p + i, len - i, 10, &n), letters = 0;

		if (digits == 0)
			return -EINVAL;
		i = ks_skip_blanks(p, len, i + digits);
		while (i + letters < len && is_letter(p[i + letters]))
			letters++;
		if (letters > 0) {
			unit = unit_usec(p + i, letters);
			if (unit == 0)
				return -EINVAL;
		} else if (i < len) {
			return -EINVAL;
		}
		if (n > (UINT64_MAX - total) / unit)
			return -EINVAL;
		total += n * unit;
		i = ks_skip_blanks(p, len, i + letters);
	}
	*ret_usec = total;
	return 0;
}

/* "+SPAN", "-SPAN" or "SPAN ago", from @now_usec; earlier than the epoch is the epoch. */
static int parse_relative(const char *s, size_t len, uint64_t now_usec, uint64_t *ret_usec)
{
	bool later = s[0] == '+';
	uint64_t span;

	if (s[0] == '+' || s[0] == '-')
		s++, len--;
	else
		len -= strlen(" ago");
	if (parse_span(s, len, &span) < 0)
		return -EINVAL;
	if (later && span > UINT64_MAX - now_usec)
		return -EINVAL;
	if (later)
		*ret_usec = now_usec + span;
	else
		*ret_usec = span > now_usec ? 0 : now_usec - span;
	return 0;
}

/* Exactly @n digits at p[*pos], for a date or a clock. */
static bool take_digits(const char *p, size_t len, size_t *pos, size_t n, int *ret)
{
	int v = 0;

	if (len - *pos < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(p[*pos + i]))
			return false;
		v = v * 10 + (p[*pos + i] - '0');
	}
	*pos += n;
	*ret = v;
	return true;
}

static bool take_char(const char *p, size_t len, size_t *pos, char c)
{
	if (*pos >= len || p[*pos] != c)
		return false;
	(*pos)++;
	return true;
}

/* ".ffffff": one to six digits of a second, in us; nothing when absent. */
static bool take_fraction(const char *p, size_t len, size_t *pos, uint64_t *ret_usec)
{
	uint64_t frac;
	size_t n;

	*ret_usec = 0;
	if (!take_char(p, len, pos, '.'))
		return true;
	n = ks_parse_u64(p + *pos, len - *pos, 10, &frac);
	if (n == 0 || n > 6)
		return false;
	for (size_t i = n; i < 6; i++)
		frac *= 10;
	*pos += n;
	*ret_usec = frac;
	return true;
}

/* "HH:MM[:SS[.ffffff]]" into @tm. */
static bool take_clock(const char *p, size_t len, size_t *pos, struct tm *tm, uint64_t *ret_frac)
{
	*ret_frac = 0;
	tm->tm_sec = 0;
	if (!take_digits(p, len, pos, 2, &tm->tm_hour) || !take_char(p, len, pos, ':') ||
	    !take_digits(p, len, pos, 2, &tm->tm_min))
		return false;
	if (!take_char(p, len, pos, ':'))
		return true;
	return take_digits(p, len, pos, 2, &tm->tm_sec) && take_fraction(p, len, pos, ret_frac);
}

/* "YYYY-MM-DD" into @tm. */
static bool take_date(const char *p, size_t len, size_t *pos, struct tm *tm)
{
	size_t i = *pos;
	int year, month, day;

	if (!take_digits(p, len, &i, 4, &year) || !take_char(p, len, &i, '-') ||
	    !take_digits(p, len, &i, 2, &month) || !take_char(p, len, &i, '-') ||
	    !take_digits(p, len, &i, 2, &day))
		return false;
	tm->tm_year = year - 1900;
	tm->tm_mon = month - 1;
	tm->tm_mday = day;
	*pos = i;
	return true;
}

static bool tm_in_range(const struct tm *tm)
{
	return tm->tm_mon >= 0 && tm->tm_mon <= 11 && tm->tm_mday >= 1 && tm->tm_mday <= 31 &&
	       tm->tm_hour <= 23 && tm->tm_min <= 59 && tm->tm_sec <= 60;
}

/* Calendar time of @tm, local or UTC; mktime() normalises, so a date it moved did not exist. */
static int tm_to_usec(struct tm *tm, bool utc, uint64_t frac, uint64_t *ret_usec)
{
	int mday = tm->tm_mday, mon = tm->tm_mon;
	time_t t;

	if (!tm_in_range(tm))
		return -EINVAL;
	tm->tm_isdst = -1;
	t = utc ? timegm(tm) : mktime(tm);
	if (t < 0 || tm->tm_mday != mday || tm->tm_mon != mon)
		return -EINVAL;
	*ret_usec = (uint64_t)t * USEC_PER_SEC + frac;
	return 0;
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS[.f]]]" or "HH:MM[:SS[.f]]" (today), optionally " UTC". */
static int parse_absolute(const char *s, size_t len, uint64_t now_usec, uint64_t *ret_usec)
{
	time_t now = (time_t)(now_usec / USEC_PER_SEC);
	struct tm tm = { 0 };
	bool utc = len > 4 && memcmp(s + len - 4, " UTC", 4) == 0;
	uint64_t frac = 0;
	size_t pos = 0;

	if (utc)
		len -= 4;
	if (take_date(s, len, &pos, &tm)) {
		if (pos < len && !take_char(s, len, &pos, ' ') && !take_char(s, len, &pos, 'T'))
			return -EINVAL;
		/* After the separator, a clock is due. */
		if (pos > 10 && !take_clock(s, len, &pos, &tm, &frac))
			return -EINVAL;
	} else {
		if (!(utc ? gmtime_r(&now, &tm) : localtime_r(&now, &tm)))
			return -EINVAL;
		if (!take_clock(s, len, &pos, &tm, &frac))
			return -EINVAL;
	}
	if (pos != len)
		return -EINVAL;
	return tm_to_usec(&tm, utc, frac, ret_usec);
}

/* "today", "yesterday", "tomorrow": local midnight. */
static int parse_day_word(const struct day_word *w, uint64_t now_usec, uint64_t *ret_usec)
{
	time_t now = (time_t)(now_usec / USEC_PER_SEC);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return -EINVAL;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += w->days;
	tm.tm_isdst = -1;
	now = mktime(&tm);
	if (now < 0)
		return -EINVAL;
	*ret_usec = (uint64_t)now * USEC_PER_SEC;
	return 0;
}

/* "@SECONDS[.ffffff]" */
static int parse_epoch(const char *s, size_t len, uint64_t *ret_usec)
{
	uint64_t sec, frac;
	size_t pos = ks_parse_u64(s, len, 10, &sec);

	if (pos == 0 || !take_fraction(s, len, &pos, &frac) || pos != len ||
	    sec > (UINT64_MAX - frac) / USEC_PER_SEC)
		return -EINVAL;
	*ret_usec = sec * USEC_PER_SEC + frac;
	return 0;
}

int ks_journal_parse_time(const char *s, uint64_t now_usec, uint64_t *ret_usec)
{
	size_t len = strlen(s);

	/* Local time as journalctl reads it: honour a TZ set since the last call. */
	tzset();
	if (len == 0)
		return -EINVAL;
	if (strcmp(s, "now") == 0) {
		*ret_usec = now_usec;
		return 0;
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(day_words); i++)
		if (strcmp(s, day_words[i].name) == 0)
			return parse_day_word(&day_words[i], now_usec, ret_usec);
	if (s[0] == '@')
		return parse_epoch(s + 1, len - 1, ret_usec);
	if (s[0] == '+' || s[0] == '-' || (len > 4 && strcmp(s + len - 4, " ago") == 0))
		return parse_relative(s, len, now_usec, ret_usec);
	return parse_absolute(s, len, now_usec, ret_usec);
}

static uint64_t clock_usec(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

/* ---- Boots: journalctl's -b grammar ---- */

/* A -b value: a boot ID or the ends of the journal as anchor, and an offset from it. */
struct boot_spec {
	bool has_id;
	sd_id128_t id;
	long offset; /* with no ID: > 0 counts from the first boot, <= 0 back from the last */
};

struct boot {
	sd_id128_t id;
	uint64_t first_usec; /* wall time of its first entry */
};

static bool is_hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]) && !((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f'))
			return false;
	return true;
}

/* Length of a boot ID at the start of @s: 32 hex digits, or 36 as a UUID; 0 if none. */
static size_t boot_id_len(const char *s)
{
	size_t len = strlen(s);

	if (len >= 32 && is_hex_run(s, 32) && (len == 32 || s[32] == '+' || s[32] == '-'))
		return 32;
	if (len >= 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
	    is_hex_run(s, 8) && is_hex_run(s + 9, 4) && is_hex_run(s + 14, 4) &&
	    is_hex_run(s + 19, 4) && is_hex_run(s + 24, 12) &&
	    (len == 36 || s[36] == '+' || s[36] == '-'))
		return 36;
	return 0;
}

/* "", "N", "+N", "-N"; after a boot ID the sign is required. */
static int parse_boot_offset(const char *s, bool sign_required, long *ret)
{
	size_t len = strlen(s), i = 0;
	uint64_t n;

	if (len == 0) {
		*ret = 0;
		return 0;
	}
	if (s[0] == '+' || s[0] == '-')
		i = 1;
	else if (sign_required)
		return -EINVAL;
	if (len == i || len - i > 9 || ks_parse_u64(s + i, len - i, 10, &n) != len - i)
		return -EINVAL;
	*ret = s[0] == '-' ? -(long)n : (long)n;
	return 0;
}

static int parse_boot_spec(const char *s, struct boot_spec *ret)
{
	struct boot_spec spec = { 0 };
	size_t idlen = boot_id_len(s);

	if (idlen > 0) {
		char id[37];

		memcpy(id, s, idlen);
		id[idlen] = '\0';
		if (sd_id128_from_string(id, &spec.id) < 0)
			return -EINVAL;
		spec.has_id = true;
	}
	if (parse_boot_offset(s + idlen, spec.has_id, &spec.offset) < 0)
		return -EINVAL;
	*ret = spec;
	return 0;
}

static int compare_boots(const void *a, const void *b)
{
	const struct boot *x = a, *y = b;

	if (x->first_usec != y->first_usec)
		return x->first_usec < y->first_usec ? -1 : 1;
	return memcmp(&x->id, &y->id, sizeof(x->id));
}

/* "_BOOT_ID=<32 hex>" as sd_journal_enumerate_unique() gives it. */
static bool parse_boot_field(const void *data, size_t len, sd_id128_t *ret)
{
	char id[SD_ID128_STRING_MAX];

	if (len != strlen("_BOOT_ID=") + 32 || memcmp(data, "_BOOT_ID=", 9) != 0)
		return false;
	memcpy(id, (const char *)data + 9, 32);
	id[32] = '\0';
	return sd_id128_from_string(id, ret) >= 0;
}

/* Wall time of the first entry of boot @id: 1, 0 when it has none, -errno. */
static int boot_first_usec(sd_journal *sd, sd_id128_t id, uint64_t *ret_usec)
{
	char match[sizeof("_BOOT_ID=") + SD_ID128_STRING_MAX];
	char idstr[SD_ID128_STRING_MAX];
	int r;

	sd_journal_flush_matches(sd);
	snprintf(match, sizeof(match), "_BOOT_ID=%s", sd_id128_to_string(id, idstr));
	r = sd_journal_add_match(sd, match, strlen(match));
	if (r < 0)
		return r;
	r = sd_journal_seek_head(sd);
	if (r < 0)
		return r;
	r = sd_journal_next(sd);
	if (r <= 0)
		return r;
	r = sd_journal_get_realtime_usec(sd, ret_usec);
	return r < 0 ? r : 1;
}

/* Every boot in the journal, ordered by its first entry, as journalctl orders them. */
static int list_boots(sd_journal *sd, struct boot **ret, size_t *ret_n)
{
	struct boot *boots = NULL, *grown;
	size_t n = 0, cap = 0, kept = 0;
	const void *data;
	size_t len;
	int r = sd_journal_query_unique(sd, "_BOOT_ID");

	if (r < 0)
		return r;
	SD_JOURNAL_FOREACH_UNIQUE(sd, data, len) {
		sd_id128_t id;

		if (!parse_boot_field(data, len, &id))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(boots, cap * sizeof(*boots));
			if (!grown) {
				free(boots);
				return -ENOMEM;
			}
			boots = grown;
		}
		boots[n++].id = id;
	}
	for (size_t i = 0; i < n; i++) {
		r = boot_first_usec(sd, boots[i].id, &boots[i].first_usec);
		if (r < 0) {
			sd_journal_flush_matches(sd);
			free(boots);
			return r;
		}
		if (r > 0)
			boots[kept++] = boots[i];
	}
	sd_journal_flush_matches(sd);
	if (kept > 1)
		qsort(boots, kept, sizeof(*boots), compare_boots);
	*ret = boots;
	*ret_n = kept;
	return 0;
}

static bool is_system_journal(const struct ks_journal_opts *o)
{
	return o->nfiles == 0 && !o->dir;
}

/* Index of the boot @spec names among @n boots, or -1. */
static long pick_boot(const struct boot *boots, size_t n, const struct boot_spec *spec)
{
	long anchor;

	if (spec->has_id) {
		anchor = -1;
		for (size_t i = 0; i < n; i++)
			if (sd_id128_equal(boots[i].id, spec->id))
				anchor = (long)i;
		if (anchor < 0)
			return -1;
	} else {
		anchor = spec->offset > 0 ? -1 : (long)n - 1;
	}
	if (spec->offset > (long)n || spec->offset < -(long)n)
		return -1;
	anchor += spec->offset;
	return anchor >= 0 && anchor < (long)n ? anchor : -1;
}

static int resolve_boot(sd_journal *sd, const struct ks_journal_opts *o, sd_id128_t *ret,
			char *err, size_t errlen)
{
	struct boot_spec spec;
	struct boot *boots;
	size_t n;
	long k;
	int r;

	if (parse_boot_spec(o->boot, &spec) < 0)
		return fail(err, errlen, -EINVAL,
			    "invalid boot \"%s\": expected 0, -N, +N, a boot ID (32 hex digits) or ID+N, ID-N",
			    o->boot);
	/* The running system's current boot, even before journald wrote anything of it. */
	if (!spec.has_id && spec.offset == 0 && is_system_journal(o)) {
		r = sd_id128_get_boot(ret);
		if (r < 0)
			return fail(err, errlen, r, "cannot read the current boot ID: %s", strerror(-r));
		return 0;
	}
	r = list_boots(sd, &boots, &n);
	if (r < 0)
		return fail(err, errlen, r, "cannot list the boots in the journal: %s", strerror(-r));
	k = pick_boot(boots, n, &spec);
	if (k >= 0)
		*ret = boots[k].id;
	free(boots);
	if (k < 0)
		return fail(err, errlen, -ENOENT, "boot \"%s\" is not in the journal (%zu boot%s there)",
			    o->boot, n, n == 1 ? "" : "s");
	return 0;
}

/* ---- Opening ---- */

static int open_files(struct ks_journal *j, const struct ks_journal_opts *o, char *err,
		      size_t errlen)
{
	const char **paths;
	struct stat st;
	int r;

	/* sd-journal says only "failed"; name the file that cannot work. */
	for (size_t i = 0; i < o->nfiles; i++) {
		if (stat(o->files[i], &st) < 0) {
			r = -errno;
			return fail(err, errlen, r, "%s: %s", o->files[i], strerror(-r));
		}
		if (!S_ISREG(st.st_mode))
			return fail(err, errlen, -EINVAL, "%s: not a journal file", o->files[i]);
	}
	paths = calloc(o->nfiles + 1, sizeof(*paths));
	if (!paths)
		return fail(err, errlen, -ENOMEM, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < o->nfiles; i++)
		paths[i] = o->files[i];
	r = sd_journal_open_files(&j->sd, paths, 0);
	free(paths);
	if (r < 0 && o->nfiles == 1)
		return fail(err, errlen, r, "%s: not a journal file, or unreadable (%s)", o->files[0],
			    strerror(-r));
	if (r < 0)
		return fail(err, errlen, r, "cannot open the journal files: %s", strerror(-r));
	return 0;
}

static int open_journal(struct ks_journal *j, const struct ks_journal_opts *o, char *err,
			size_t errlen)
{
	int r;

	if (o->nfiles > 0)
		return open_files(j, o, err, errlen);
	if (o->dir) {
		r = sd_journal_open_directory(&j->sd, o->dir, 0);
		if (r < 0)
			return fail(err, errlen, r, "%s: %s", o->dir, strerror(-r));
		return 0;
	}
	r = sd_journal_open(&j->sd, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0)
		return fail(err, errlen, r, "cannot open the system journal: %s", strerror(-r));
	/* sd-journal skips what it cannot read; with nothing at all, say so rather than read nothing. */
	if (sd_journal_has_runtime_files(j->sd) <= 0 && sd_journal_has_persistent_files(j->sd) <= 0)
		return fail(err, errlen, -ENOENT,
			    "no system journal found, or none readable (reading it takes root, or the group adm or systemd-journal)");
	return 0;
}

static int parse_bounds(struct ks_journal *j, const struct ks_journal_opts *o, char *err,
			size_t errlen)
{
	uint64_t now = clock_usec(CLOCK_REALTIME);

	if (o->since && ks_journal_parse_time(o->since, now, &j->since_usec) < 0)
		return fail(err, errlen, -EINVAL, "invalid --since time \"%s\": %s", o->since,
			    TIME_FORMS);
	if (o->until && ks_journal_parse_time(o->until, now, &j->until_usec) < 0)
		return fail(err, errlen, -EINVAL, "invalid --until time \"%s\": %s", o->until,
			    TIME_FORMS);
	if (j->since_usec > j->until_usec)
		return fail(err, errlen, -EINVAL, "--since \"%s\" is after --until \"%s\"", o->since,
			    o->until);
	return 0;
}

/* Kernel entries only, of one boot with -b. */
static int add_matches(struct ks_journal *j, const struct ks_journal_opts *o, char *err,
		       size_t errlen)
{
	char match[sizeof("_BOOT_ID=") + SD_ID128_STRING_MAX];
	char idstr[SD_ID128_STRING_MAX];
	sd_id128_t boot;
	int r;

	/* Listing boots changes the matches: before ours. */
	if (o->boot) {
		r = resolve_boot(j->sd, o, &boot, err, errlen);
		if (r < 0)
			return r;
	}
	r = sd_journal_add_match(j->sd, "_TRANSPORT=kernel", strlen("_TRANSPORT=kernel"));
	if (r >= 0 && o->boot) {
		snprintf(match, sizeof(match), "_BOOT_ID=%s", sd_id128_to_string(boot, idstr));
		r = sd_journal_add_match(j->sd, match, strlen(match));
	}
	if (r < 0)
		return fail(err, errlen, r, "cannot select kernel messages: %s", strerror(-r));
	return 0;
}

static int check_opts(const struct ks_journal_opts *o, char *err, size_t errlen)
{
	if (o->nfiles > 0 && o->dir)
		return fail(err, errlen, -EINVAL, "journal files and a journal directory exclude each other");
	/* Following never ends; an end time would only stop it from ever reading. */
	if (o->follow && o->until)
		return fail(err, errlen, -EINVAL, "--until cannot be combined with following");
	return 0;
}

/* Open, filter and position: everything that can fail on a bad option. */
static int setup(struct ks_journal *j, const struct ks_journal_opts *o, char *err, size_t errlen)
{
	int r = parse_bounds(j, o, err, errlen);

	if (r < 0)
		return r;
	r = open_journal(j, o, err, errlen);
	if (r < 0)
		return r;
	/* Compressed fields come back no longer than what the record keeps (and a bit, to see the cut). */
	r = sd_journal_set_data_threshold(j->sd, KS_JOURNAL_MAX_MESSAGE + 64);
	if (r < 0)
		return fail(err, errlen, r, "cannot set up the journal: %s", strerror(-r));
	r = add_matches(j, o, err, errlen);
	if (r < 0)
		return r;
	/* Watch before reading, as journalctl -f does, so nothing written meanwhile is missed. */
	if (o->follow) {
		r = sd_journal_get_fd(j->sd);
		if (r < 0)
			return fail(err, errlen, r, "cannot watch the journal: %s", strerror(-r));
	}
	r = j->since_usec ? sd_journal_seek_realtime_usec(j->sd, j->since_usec) :
			    sd_journal_seek_head(j->sd);
	if (r < 0)
		return fail(err, errlen, r, "cannot seek in the journal: %s", strerror(-r));
	return 0;
}

int ks_journal_open(const struct ks_journal_opts *o, struct ks_journal **ret, char *err,
		    size_t errlen)
{
	struct ks_journal *j;
	int r = check_opts(o, err, errlen);

	if (r < 0)
		return r;
	j = calloc(1, sizeof(*j));
	if (!j)
		return fail(err, errlen, -ENOMEM, "%s", strerror(ENOMEM));
	j->until_usec = UINT64_MAX;
	j->buf = malloc(RECORD_MAX + 1);
	if (!j->buf) {
		free(j);
		return fail(err, errlen, -ENOMEM, "%s", strerror(ENOMEM));
	}
	r = setup(j, o, err, errlen);
	if (r < 0) {
		ks_journal_free(j);
		return r;
	}
	*ret = j;
	return 0;
}

void ks_journal_free(struct ks_journal *j)
{
	if (!j)
		return;
	sd_journal_close(j->sd);
	free(j->buf);
	free(j);
}

/* ---- Reading ---- */

/* The value of field @name of the current entry: 0, -ENOENT when absent, -errno. */
static int get_field(sd_journal *sd, const char *name, const char **ret_value, size_t *ret_len)
{
	size_t nlen = strlen(name), len;
	const void *data;
	int r = sd_journal_get_data(sd, name, &data, &len);

	if (r < 0)
		return r;
	if (len < nlen + 1 || memcmp(data, name, nlen) != 0 || ((const char *)data)[nlen] != '=')
		return -EBADMSG;
	*ret_value = (const char *)data + nlen + 1;
	*ret_len = len - nlen - 1;
	return 0;
}

/* A decimal field no larger than @max; @fallback when absent or not a number (not an error). */
static uint64_t get_number(sd_journal *sd, const char *name, uint64_t max, uint64_t fallback)
{
	const char *v;
	size_t len;
	uint64_t n;

	if (get_field(sd, name, &v, &len) < 0 || len == 0 || len > 20 ||
	    ks_parse_u64(v, len, 10, &n) != len || n > max)
		return fallback;
	return n;
}

/* An entry we skip rather than fail on: no MESSAGE, or one that cannot be read (corruption). */
static bool is_unreadable(int r)
{
	return r == -ENOENT || r == -EBADMSG || r == -EPROTONOSUPPORT;
}

/*
 * /dev/kmsg's escaping (the kernel's msg_add_ext_text()), the inverse of the
 * envelope's unescape_kmsg(): @out holds 4 * @len bytes.
 */
static size_t escape_kmsg(const char *p, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20 || c >= 0x7f || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	return o;
}

/* "HEAD" then the escaped value, cut to KS_JOURNAL_MAX_MESSAGE; the length of the record. */
static size_t render(struct ks_journal *j, size_t head_len, const char *value, size_t len)
{
	j->cut = len > KS_JOURNAL_MAX_MESSAGE;
	if (j->cut)
		len = KS_JOURNAL_MAX_MESSAGE;
	head_len += escape_kmsg(value, len, j->buf + head_len);
	j->buf[head_len] = '\0';
	return head_len;
}

/* The current entry as "PRI,SEQ,TS_USEC,-;MESSAGE": 0, or -errno (-ENOENT: no MESSAGE). */
static int render_record(struct ks_journal *j, size_t *ret_len)
{
	uint64_t mono, ts, prio, facility;
	sd_id128_t boot;
	const char *msg;
	size_t len;
	int head, r = sd_journal_get_monotonic_usec(j->sd, &mono, &boot);

	if (r < 0)
		return r;
	/* The kernel's own time stamp; journald's arrival time when it was not kept. */
	ts = get_number(j->sd, "_SOURCE_MONOTONIC_TIMESTAMP", UINT64_MAX, mono);
	prio = get_number(j->sd, "PRIORITY", 7, DEFAULT_PRIORITY);
	facility = get_number(j->sd, "SYSLOG_FACILITY", 23, 0);
	/* Last: the next sd_journal_get_data() may unmap or reuse what this one returns. */
	r = get_field(j->sd, "MESSAGE", &msg, &len);
	if (r < 0)
		return r;
	head = snprintf(j->buf, RECORD_HEAD_MAX, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",-;",
			facility * 8 + prio, j->seq + 1, ts);
	if (head < 0 || head >= RECORD_HEAD_MAX)
		return -EOVERFLOW;
	j->seq++;
	sd_id128_to_string(boot, j->boot_id);
	*ret_len = render(j, (size_t)head, msg, len);
	return 0;
}

/* The next dictionary line of the current entry: 1, or 0 when none is left. */
static int render_dict_line(struct ks_journal *j, size_t *ret_len)
{
	while (j->dict_next < KS_ARRAY_SIZE(dict_fields)) {
		const struct dict_field *d = &dict_fields[j->dict_next++];
		const char *v;
		size_t len;
		int head;

		/* The record went out already: a field that cannot be read is left out. */
		if (get_field(j->sd, d->field, &v, &len) < 0)
			continue;
		head = snprintf(j->buf, RECORD_HEAD_MAX, " %s=", d->key);
		*ret_len = render(j, (size_t)head, v, len);
		return 1;
	}
	return 0;
}

/* Move to the next entry wanted: 1, 0 at the end (for now), -errno. */
static int next_entry(struct ks_journal *j)
{
	uint64_t usec;
	int r;

	for (;;) {
		r = sd_journal_next(j->sd);
		if (r <= 0)
			return r;
		if (j->since_usec == 0 && j->until_usec == UINT64_MAX)
			return 1;
		r = sd_journal_get_realtime_usec(j->sd, &usec);
		if (r < 0)
			return r;
		/* Seeking by wall time across files is approximate: make the bound exact. */
		if (usec < j->since_usec)
			continue;
		if (usec > j->until_usec) {
			j->done = true;
			return 0;
		}
		return 1;
	}
}

int ks_journal_next(struct ks_journal *j, const char **ret_record, size_t *ret_len)
{
	size_t len;
	int r;

	if (j->in_entry && render_dict_line(j, &len) > 0) {
		*ret_record = j->buf;
		*ret_len = len;
		return 1;
	}
	j->in_entry = false;
	if (j->done)
		return 0;
	do {
		r = next_entry(j);
		if (r <= 0)
			return r;
		r = render_record(j, &len);
	} while (r < 0 && is_unreadable(r));
	if (r < 0)
		return r;
	j->in_entry = true;
	j->dict_next = 0;
	*ret_record = j->buf;
	*ret_len = len;
	return 1;
}

bool ks_journal_is_cut(const struct ks_journal *j)
{
	return j->cut;
}

const char *ks_journal_boot_id(const struct ks_journal *j)
{
	return j->boot_id;
}

/* poll(2)'s milliseconds, rounded up so that a short wait still waits. */
static int poll_timeout_ms(uint64_t usec)
{
	if (usec == UINT64_MAX)
		return -1;
	if (usec / 1000 >= INT_MAX)
		return INT_MAX;
	return (int)((usec + 999) / 1000);
}

/*
 * sd_journal_wait() would do, but it retries when interrupted: poll its fd
 * here so a signal ends the wait and the caller sees its stop flag.
 */
int ks_journal_wait(struct ks_journal *j, uint64_t timeout_usec)
{
	int fd = sd_journal_get_fd(j->sd), events, r;
	uint64_t deadline, now;
	struct pollfd pfd;

	if (fd < 0)
		return fd;
	events = sd_journal_get_events(j->sd);
	if (events < 0)
		return events;
	/* Files on a file system without inotify are looked at again by a deadline. */
	r = sd_journal_get_timeout(j->sd, &deadline);
	if (r < 0)
		return r;
	if (deadline != UINT64_MAX) {
		now = clock_usec(CLOCK_MONOTONIC);
		deadline = deadline > now ? deadline - now : 0;
		if (deadline < timeout_usec)
			timeout_usec = deadline;
	}
	pfd.fd = fd;
	pfd.events = (short)events;
	pfd.revents = 0;
	if (poll(&pfd, 1, poll_timeout_ms(timeout_usec)) < 0)
		return errno == EINTR ? 0 : -errno;
	r = sd_journal_process(j->sd);
	if (r < 0)
		return r;
	return r == SD_JOURNAL_APPEND || r == SD_JOURNAL_INVALIDATE;
}
