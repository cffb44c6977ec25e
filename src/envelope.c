// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Envelope decoding: separate each raw line's message from the prefix that a
 * console, dmesg, /dev/kmsg, syslog or journalctl put in front of it.
 *
 * Every field parser takes (p, len, pos), consumes one field when it is
 * present and returns the position after it, or @pos unchanged when it is
 * absent. The grammar of each field is written above its parser.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/envelope.h"

struct ks_envelope {
	char *scratch;       /* unescaped text of the current record */
	size_t scratch_size;
	struct ks_line cur;  /* metadata of the current record */
	const char *rest;    /* undelivered text of the current record */
	size_t rest_len;
	bool have_rest;
	/* The previous record, for util-linux/journalctl continuation lines. */
	struct ks_line prev;
	size_t prev_indent;  /* column where the previous record's text started */
	bool have_prev;
	bool prev_kmsg;      /* dictionary lines (" KEY=value") follow kmsg records */
	/* The journal's fields, as dictionary lines after its records: they hold until changed. */
	char host[65];
	char boot_id[33];
	char machine_id[33];
};

static const char *const env_names[_KS_ENV_MAX] = {
	[KS_ENV_BARE] = "bare",
	[KS_ENV_DMESG] = "dmesg",
	[KS_ENV_DMESG_ISO] = "dmesg-iso",
	[KS_ENV_KMSG] = "kmsg",
	[KS_ENV_SYSLOG] = "syslog",
	[KS_ENV_CONT] = "continuation",
};

const char *ks_env_kind_name(enum ks_env_kind kind)
{
	return (unsigned)kind < _KS_ENV_MAX ? env_names[kind] : "unknown";
}

int ks_envelope_new(size_t max_line, struct ks_envelope **ret)
{
	struct ks_envelope *env = calloc(1, sizeof(*env));

	if (!env)
		return -ENOMEM;
	env->scratch_size = max_line + 1;
	env->scratch = malloc(env->scratch_size);
	if (!env->scratch) {
		free(env);
		return -ENOMEM;
	}
	*ret = env;
	return 0;
}

void ks_envelope_free(struct ks_envelope *env)
{
	if (!env)
		return;
	free(env->scratch);
	free(env);
}

void ks_envelope_reset(struct ks_envelope *env)
{
	env->host[0] = env->boot_id[0] = env->machine_id[0] = '\0';
	env->have_prev = false;
	env->prev_kmsg = false;
	env->have_rest = false;
}

void ks_envelope_break(struct ks_envelope *env)
{
	env->have_prev = false;
	env->have_rest = false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t count_digits(const char *p, size_t len, size_t pos)
{
	size_t i = pos;

	while (i < len && is_digit(p[i]))
		i++;
	return i - pos;
}

/* "SECONDS.FRACTION" with 1..9 fraction digits, into nanoseconds. */
static size_t parse_seconds(const char *p, size_t len, size_t pos, uint64_t *ret_ns)
{
	uint64_t sec, frac;
	size_t n = ks_parse_u64(p + pos, len - pos, 10, &sec);
	size_t f;

	if (n == 0 || n > 10 || pos + n >= len || p[pos + n] != '.')
		return pos;
	f = ks_parse_u64(p + pos + n + 1, len - pos - n - 1, 10, &frac);
	if (f == 0 || f > 9)
		return pos;
	for (size_t i = f; i < 9; i++)
		frac *= 10;
	*ret_ns = sec * UINT64_C(1000000000) + frac;
	return pos + n + 1 + f;
}

/* "[ 12.345678]": the kernel's print_time(), seconds right-aligned in 5 columns. */
static size_t parse_kernel_time(const char *p, size_t len, size_t pos, uint64_t *ret_ns)
{
	size_t i = pos, end;
	uint64_t ns;

	if (i >= len || p[i] != '[')
		return pos;
	i = ks_skip_blanks(p, len, i + 1);
	end = parse_seconds(p, len, i, &ns);
	if (end == i || end >= len || p[end] != ']')
		return pos;
	*ret_ns = ns;
	return end + 1;
}

/* "[  T123]" / "[    C1]": CONFIG_PRINTK_CALLER, right-aligned in 6 columns. */
static size_t parse_caller(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	size_t i = ks_skip_blanks(p, len, pos + 1), n;
	uint64_t id;
	char type;

	if (pos >= len || p[pos] != '[' || i >= len)
		return pos;
	type = p[i];
	if (type != 'T' && type != 'C')
		return pos;
	n = ks_parse_u64(p + i + 1, len - i - 1, 10, &id);
	if (n == 0 || n > 10 || i + 1 + n >= len || p[i + 1 + n] != ']' || id > UINT32_MAX)
		return pos;
	l->caller = (uint32_t)id;
	l->caller_type = type == 'T' ? KS_CALLER_TASK : KS_CALLER_CPU;
	return i + 1 + n + 1;
}

/* "<N>": syslog priority, (facility << 3) | level, from dmesg -r or a console. */
static size_t parse_priority(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	uint64_t prio;
	size_t n;

	if (pos >= len || p[pos] != '<')
		return pos;
	n = ks_parse_u64(p + pos + 1, len - pos - 1, 10, &prio);
	if (n == 0 || n > 3 || pos + 1 + n >= len || p[pos + 1 + n] != '>' || prio > 191)
		return pos;
	l->level = (int8_t)(prio & 7);
	if (prio >> 3)
		l->flags |= KS_LINE_USER;
	return pos + n + 2;
}

static bool is_month(const char *p)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (size_t i = 0; i + 3 <= sizeof(months) - 1; i += 3)
		if (memcmp(p, months + i, 3) == 0)
			return true;
	return false;
}

static bool is_weekday(const char *p)
{
	static const char days[] = "MonTueWedThuFriSatSun";

	for (size_t i = 0; i + 3 <= sizeof(days) - 1; i += 3)
		if (memcmp(p, days + i, 3) == 0)
			return true;
	return false;
}

/* "HH:MM:SS" */
static size_t parse_clock(const char *p, size_t len, size_t pos)
{
	if (pos + 8 > len)
		return pos;
	for (size_t i = 0; i < 8; i++) {
		bool colon = i == 2 || i == 5;

		if (colon ? p[pos + i] != ':' : !is_digit(p[pos + i]))
			return pos;
	}
	return pos + 8;
}

/* "Mon DD HH:MM:SS[.ffffff]": RFC 3164 / journalctl short and short-precise. */
static size_t parse_bsd_date(const char *p, size_t len, size_t pos)
{
	size_t i = pos, end;

	if (i + 15 > len || !is_month(p + i) || p[i + 3] != ' ')
		return pos;
	i += 4;
	if (p[i] == ' ')
		i++;
	if (count_digits(p, len, i) < 1 || count_digits(p, len, i) > 2)
		return pos;
	i += count_digits(p, len, i);
	if (i >= len || p[i] != ' ')
		return pos;
	end = parse_clock(p, len, i + 1);
	if (end == i + 1)
		return pos;
	if (end < len && p[end] == '.' && count_digits(p, len, end + 1) > 0)
		end += 1 + count_digits(p, len, end + 1);
	return end;
}

/*
 * "YYYY-MM-DDTHH:MM:SS[.,]fffff(Z|+HH:MM|+HHMM)": RFC 3339 (rsyslog, journalctl
 * short-iso) and dmesg --time-format iso (comma before the fraction).
 */
static size_t parse_iso_date(const char *p, size_t len, size_t pos)
{
	size_t i = pos, end;

	if (i + 19 > len || count_digits(p, len, i) != 4 || p[i + 4] != '-' ||
	    count_digits(p, len, i + 5) != 2 || p[i + 7] != '-' ||
	    count_digits(p, len, i + 8) != 2 || p[i + 10] != 'T')
		return pos;
	end = parse_clock(p, len, i + 11);
	if (end == i + 11)
		return pos;
	i = end;
	if (i < len && (p[i] == '.' || p[i] == ',') && count_digits(p, len, i + 1) > 0)
		i += 1 + count_digits(p, len, i + 1);
	if (i < len && p[i] == 'Z')
		return i + 1;
	if (i < len && (p[i] == '+' || p[i] == '-')) {
		size_t d = count_digits(p, len, i + 1);

		if (d == 4)
			return i + 5;
		if (d == 2 && i + 3 < len && p[i + 3] == ':' && count_digits(p, len, i + 4) == 2)
			return i + 6;
	}
	return pos;
}

/* A non-blank token followed by one space; returns the position after the space. */
static size_t parse_token(const char *p, size_t len, size_t pos, struct ks_span *ret)
{
	size_t i = pos;

	while (i < len && p[i] != ' ')
		i++;
	if (i == pos || i >= len)
		return pos;
	*ret = ks_span_make(p + pos, i - pos);
	return i + 1;
}

/* "kernel:" or "kernel[123]:" as a syslog tag; anything else is userspace. */
static bool tag_is_kernel(struct ks_span tag)
{
	return ks_span_eq(tag, "kernel:") || (ks_has_prefix(tag.p, tag.len, "kernel[") &&
					       tag.p[tag.len - 1] == ':');
}

/*
 * After a syslog date: "[host ]tag: ". The host may be missing (edited logs);
 * the tag ends with ':'. Returns the position of the message or @pos.
 */
static size_t parse_host_tag(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	struct ks_span a, b;
	size_t i = parse_token(p, len, pos, &a), j;

	if (i == pos)
		return pos;
	if (a.p[a.len - 1] == ':') {
		/* Without a host only the kernel's own tag is believable. */
		if (!tag_is_kernel(a))
			return pos;
		b = a;
		j = i;
	} else {
		j = parse_token(p, len, i, &b);
		if (j == i || b.p[b.len - 1] != ':')
			return pos;
	}
	if (!tag_is_kernel(b))
		l->flags |= KS_LINE_USER;
	return j;
}

/* RFC 5424: "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG", nil fields are "-". */
static size_t parse_rfc5424(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	struct ks_span field[5]; /* host, app, procid, msgid, structured data */
	size_t i = parse_priority(p, len, pos, l), d;

	if (i == pos || i + 2 > len || p[i] != '1' || p[i + 1] != ' ')
		return pos;
	d = parse_iso_date(p, len, i + 2);
	if (d == i + 2 || d >= len || p[d] != ' ')
		return pos;
	l->wall = ks_span_make(p + i + 2, d - i - 2);
	i = d + 1;
	for (size_t f = 0; f < KS_ARRAY_SIZE(field); f++) {
		size_t next = parse_token(p, len, i, &field[f]);

		if (next == i)
			return pos;
		i = next;
	}
	if (!ks_span_eq(field[1], "kernel"))
		l->flags |= KS_LINE_USER;
	return i;
}

/* Syslog and journalctl prefixes up to the message; @pos when absent. */
static size_t parse_syslog(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	size_t i, d, m;
	uint64_t ns;
	struct ks_line probe = *l;

	m = parse_rfc5424(p, len, pos, &probe);
	if (m != pos) {
		*l = probe;
		return m;
	}
	/* RFC 3164 on the wire has a priority before the date. */
	i = parse_priority(p, len, pos, &probe);
	d = parse_bsd_date(p, len, i);
	if (d == i)
		d = parse_iso_date(p, len, i);
	/* A comma before the fraction is dmesg --time-format iso, never syslog. */
	if (d != i && memchr(p + i, ',', d - i))
		return pos;
	if (d != i) {
		if (d >= len || p[d] != ' ')
			return pos;
		m = parse_host_tag(p, len, d + 1, &probe);
		if (m == d + 1)
			return pos;
		probe.wall = ks_span_make(p + i, d - i);
		*l = probe;
		return m;
	}
	/* journalctl short-monotonic "[ 12.345678] host kernel: " and short-unix "1795579512.345678 host kernel: ". */
	d = parse_kernel_time(p, len, pos, &ns);
	if (d != pos && d < len && p[d] == ' ') {
		m = parse_host_tag(p, len, d + 1, &probe);
		/* Kernel text often reads "word word:", so demand the kernel tag here. */
		if (m != d + 1 && !(probe.flags & KS_LINE_USER)) {
			probe.ts_ns = ns;
			*l = probe;
			return m;
		}
		return pos;
	}
	d = parse_seconds(p, len, pos, &ns);
	if (d != pos && d - pos > 11 && d < len && p[d] == ' ') {
		m = parse_host_tag(p, len, d + 1, &probe);
		if (m != d + 1 && !(probe.flags & KS_LINE_USER)) {
			probe.wall = ks_span_make(p + pos, d - pos);
			*l = probe;
			return m;
		}
	}
	return pos;
}

/*
 * Other bracketed time forms of util-linux dmesg, which carry no kernel time
 * worth keeping: -T "[Wed Nov 25 04:04:55 2026]", -d "[ 0.000000 < 0.000000>]",
 * delta "[<    0.000000>]", reltime "[Nov25 04:04]" and "[  +0.000026]".
 */
static size_t parse_dmesg_other_time(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	const char *close;
	size_t i = pos + 1;
	uint64_t ns;

	if (pos >= len || p[pos] != '[')
		return pos;
	close = memchr(p + pos, ']', len - pos < 40 ? len - pos : 40);
	if (!close)
		return pos;
	size_t end = (size_t)(close - p) + 1;
	size_t b = ks_skip_blanks(p, len, i);

	if (b + 3 <= len && is_weekday(p + b) && parse_clock(p, len, b + 11) != b + 11) {
		l->wall = ks_span_make(p + b, end - 1 - b);
		return end;
	}
	/* reltime "[Nov25 04:04]": month, day, hours and minutes. */
	if (b + 3 <= len && is_month(p + b)) {
		size_t d = count_digits(p, len, b + 3);

		if (d >= 1 && d <= 2 && b + 3 + d + 6 == end - 1 && p[b + 3 + d] == ' ' &&
		    p[b + 6 + d] == ':')
			return end;
		return pos;
	}
	/* delta "[<    0.000000>]" and reltime "[  +0.000026]". */
	if (b < len && (p[b] == '+' || p[b] == '<')) {
		size_t v = ks_skip_blanks(p, len, b + 1), e = parse_seconds(p, len, v, &ns);

		if (e == v)
			return pos;
		if (p[b] == '<' && (e >= len || p[e] != '>'))
			return pos;
		return end;
	}
	size_t s = parse_seconds(p, len, b, &ns);
	if (s != b && s < len && p[s] == ' ') {
		size_t lt = ks_skip_blanks(p, len, s);

		if (lt < len && p[lt] == '<') {
			l->ts_ns = ns;
			return end;
		}
	}
	return pos;
}

/* dmesg -x: "kern  :info  : " (facility and level names padded to 6). */
static size_t parse_decoded_faclev(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	static const char *const levels[] = { "emerg", "alert", "crit", "err",
					      "warn", "notice", "info", "debug" };
	size_t i = pos, f = pos;

	while (i < len && p[i] >= 'a' && p[i] <= 'z')
		i++;
	if (i == f || i - f > 8)
		return pos;
	bool kern = i - f == 4 && memcmp(p + f, "kern", 4) == 0;
	while (i < len && p[i] == ' ')
		i++;
	if (i >= len || p[i] != ':')
		return pos;
	size_t lv = i + 1, le = lv;
	while (le < len && p[le] >= 'a' && p[le] <= 'z')
		le++;
	size_t k;
	for (k = 0; k < KS_ARRAY_SIZE(levels); k++)
		if (le - lv == strlen(levels[k]) && memcmp(p + lv, levels[k], le - lv) == 0)
			break;
	if (k == KS_ARRAY_SIZE(levels))
		return pos;
	i = le;
	while (i < len && p[i] == ' ')
		i++;
	if (i + 1 >= len || p[i] != ':' || p[i + 1] != ' ')
		return pos;
	l->level = (int8_t)k;
	if (!kern)
		l->flags |= KS_LINE_USER;
	return i + 2;
}

/*
 * The kernel's own text prefix, in this order, each part optional:
 * "<N>" "[time]" "[caller]" then one space if time or caller was printed.
 * util-linux 2.39 puts a space between time and caller.
 */
static size_t parse_kernel_prefix(const char *p, size_t len, size_t pos, struct ks_line *l)
{
	size_t i = parse_priority(p, len, pos, l), t;
	uint64_t ns;
	bool stamped = false;

	t = parse_kernel_time(p, len, i, &ns);
	if (t != i) {
		l->ts_ns = ns;
		stamped = true;
	} else {
		t = parse_dmesg_other_time(p, len, i, l);
		stamped = t != i;
	}
	i = t;
	t = parse_caller(p, len, i, l);
	if (t == i && stamped && i + 1 < len && p[i] == ' ' && p[i + 1] == '[') {
		t = parse_caller(p, len, i + 1, l);
		if (t == i + 1)
			t = i;
	}
	if (t != i)
		stamped = true;
	i = t;
	if (stamped) {
		l->env = KS_ENV_DMESG;
		if (i < len && p[i] == ' ')
			i++;
	} else if (i != pos) {
		l->env = KS_ENV_DMESG;
	}
	return i;
}

/*
 * A console line may begin with userspace output that had no newline yet
 * ("syzkaller login: [   59.806466][ T6792] BUG: ..."): find a kernel time
 * stamp after a space near the start and decode the line from there.
 */
static size_t parse_prefix_after_noise(const char *p, size_t len, struct ks_line *l)
{
	size_t limit = len < 128 ? len : 128;

	for (size_t i = 1; i + 1 < limit; i++) {
		struct ks_line probe = *l;
		uint64_t ns;
		size_t t, m;

		if (p[i] != '[' || p[i - 1] != ' ')
			continue;
		t = parse_kernel_time(p, len, i, &ns);
		if (t == i)
			continue;
		m = parse_kernel_prefix(p, len, i, &probe);
		if (m == i)
			continue;
		*l = probe;
		return m;
	}
	return 0;
}

/* "\xNN" escapes of /dev/kmsg text (every byte < 0x20, >= 0x7f and '\' itself). */
static size_t unescape_kmsg(const char *p, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		uint64_t v;

		if (p[i] == '\\' && i + 3 < len && p[i + 1] == 'x' &&
		    ks_parse_u64(p + i + 2, 2, 16, &v) == 2) {
			out[o++] = (char)v;
			i += 3;
		} else {
			out[o++] = p[i];
		}
	}
	return o;
}

/* rsyslog's "#NNN" octal escapes of control characters; "#012" becomes a line break. */
static size_t unescape_rsyslog(const char *p, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '#' && i + 3 < len && p[i + 1] == '0' && p[i + 2] >= '0' &&
		    p[i + 2] <= '3' && p[i + 3] >= '0' && p[i + 3] <= '7') {
			out[o++] = (char)((p[i + 2] - '0') * 8 + (p[i + 3] - '0'));
			i += 3;
		} else {
			out[o++] = p[i];
		}
	}
	return o;
}

/* "T123" / "C1" of a kmsg "caller=" field. */
static void parse_caller_kmsg(const char *p, size_t len, struct ks_line *l)
{
	uint64_t id;

	if (len < 2 || (p[0] != 'T' && p[0] != 'C'))
		return;
	if (ks_parse_u64(p + 1, len - 1, 10, &id) != len - 1 || id > UINT32_MAX)
		return;
	l->caller = (uint32_t)id;
	l->caller_type = p[0] == 'T' ? KS_CALLER_TASK : KS_CALLER_CPU;
}

/*
 * "prio,seq,usec[,flags][,key=value...];text": /dev/kmsg and extended
 * netconsole. Unknown comma-separated fields are ignored, as the ABI says.
 */
static size_t parse_kmsg_header(const char *p, size_t len, struct ks_line *l)
{
	const char *semi = memchr(p, ';', len < 128 ? len : 128);
	uint64_t prio, seq, usec;
	size_t i = 0, n, end;

	if (!semi)
		return 0;
	end = (size_t)(semi - p);
	if ((n = ks_parse_u64(p, end, 10, &prio)) == 0 || n > 4 || n >= end || p[n] != ',')
		return 0;
	i = n + 1;
	if ((n = ks_parse_u64(p + i, end - i, 10, &seq)) == 0 || i + n >= end || p[i + n] != ',')
		return 0;
	i += n + 1;
	if ((n = ks_parse_u64(p + i, end - i, 10, &usec)) == 0)
		return 0;
	i += n;
	if (i < end && p[i] != ',')
		return 0;
	while (i < end) {
		size_t f = i + 1, fe = f;

		while (fe < end && p[fe] != ',')
			fe++;
		if (fe - f == 1 && (p[f] == 'c' || p[f] == '+'))
			l->flags |= KS_LINE_CONT;
		else if (ks_has_prefix(p + f, fe - f, "caller="))
			parse_caller_kmsg(p + f + 7, fe - f - 7, l);
		i = fe;
	}
	l->level = (int8_t)(prio & 7);
	if (prio >> 3)
		l->flags |= KS_LINE_USER;
	l->seq = seq;
	l->ts_ns = usec > UINT64_MAX / 1000 ? KS_TIME_NONE : usec * 1000;
	l->env = KS_ENV_KMSG;
	return end + 1;
}

/* " KEY=value": a kmsg dictionary line (SUBSYSTEM=, DEVICE=) after a record. */
static bool is_kmsg_dict(const char *p, size_t len)
{
	size_t i = 1;

	if (len < 3 || p[0] != ' ')
		return false;
	while (i < len && ((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '_' || is_digit(p[i])))
		i++;
	return i > 1 && i < len && p[i] == '=';
}

/* " _HOSTNAME=h", " _BOOT_ID=id": the host and boot of the records that follow. */
static void keep_journal_field(struct ks_envelope *env, const char *p, size_t len)
{
	static const struct {
		const char *key;
		size_t size; /* of the buffer, NUL included */
		size_t offset;
	} fields[] = {
		{ " _HOSTNAME=", sizeof(((struct ks_envelope *)0)->host), offsetof(struct ks_envelope, host) },
		{ " _BOOT_ID=", sizeof(((struct ks_envelope *)0)->boot_id), offsetof(struct ks_envelope, boot_id) },
		{ " _MACHINE_ID=", sizeof(((struct ks_envelope *)0)->machine_id),
		  offsetof(struct ks_envelope, machine_id) },
	};

	for (size_t i = 0; i < KS_ARRAY_SIZE(fields); i++) {
		size_t k = strlen(fields[i].key), n = len - k;
		char *dst = (char *)env + fields[i].offset;

		if (!ks_has_prefix(p, len, fields[i].key))
			continue;
		if (n >= fields[i].size)
			n = fields[i].size - 1;
		memcpy(dst, p + k, n);
		dst[n] = '\0';
	}
}

/*
 * util-linux dmesg prints the lines of a multi-line record after the first
 * without a prefix, indented with spaces to the prefix width; journalctl
 * indents them to where the message started. Such a line continues the
 * previous record and inherits its time and caller.
 */
static bool decode_continuation(struct ks_envelope *env, const char *p, size_t len)
{
	size_t indent = env->prev_indent;

	if (!env->have_prev || indent < 8 || len < indent)
		return false;
	for (size_t i = 0; i < indent; i++)
		if (p[i] != ' ')
			return false;
	uint64_t lineno = env->cur.lineno;
	uint16_t cut = env->cur.flags & KS_LINE_CUT;

	env->cur = env->prev;
	env->cur.env = KS_ENV_CONT;
	env->cur.lineno = lineno;
	env->cur.flags = (uint16_t)((env->cur.flags & ~(KS_LINE_CONT | KS_LINE_CUT)) | cut);
	env->rest = p + indent;
	env->rest_len = len - indent;
	return true;
}

static void remember_prev(struct ks_envelope *env, size_t indent)
{
	env->prev = env->cur;
	env->prev_indent = indent;
	env->have_prev = env->cur.env == KS_ENV_DMESG || env->cur.env == KS_ENV_SYSLOG ||
			 env->cur.env == KS_ENV_DMESG_ISO;
}

void ks_envelope_feed(struct ks_envelope *env, const char *raw, size_t len, uint64_t lineno,
		      bool cut)
{
	struct ks_line *l = &env->cur;
	size_t pos, m;

	while (len > 0 && (raw[len - 1] == '\r' || raw[len - 1] == '\n'))
		len--;
	/* Decoded text goes to the scratch buffer: never more than it holds. */
	if (len >= env->scratch_size) {
		len = env->scratch_size - 1;
		cut = true;
	}
	memset(l, 0, sizeof(*l));
	l->ts_ns = KS_TIME_NONE;
	l->level = -1;
	l->lineno = lineno;
	l->flags = cut ? KS_LINE_CUT : 0;
	l->host = env->host[0] ? env->host : NULL;
	l->boot_id = env->boot_id[0] ? env->boot_id : NULL;
	l->machine_id = env->machine_id[0] ? env->machine_id : NULL;
	env->have_rest = true;

	if (env->prev_kmsg && is_kmsg_dict(raw, len)) {
		env->have_rest = false;
		keep_journal_field(env, raw, len);
		return;
	}
	m = parse_kmsg_header(raw, len, l);
	if (m > 0) {
		/* Unescaping never makes text longer, so the scratch buffer fits it. */
		env->rest_len = unescape_kmsg(raw + m, len - m, env->scratch);
		env->rest = env->scratch;
		env->prev_kmsg = true;
		env->have_prev = false;
		return;
	}
	env->prev_kmsg = false;

	l->env = KS_ENV_BARE;
	pos = parse_syslog(raw, len, 0, l);
	if (pos != 0) {
		l->env = KS_ENV_SYSLOG;
		/* imklog keeps the kernel's own "<N>[time]" inside the message. */
		size_t k = parse_kernel_prefix(raw, len, pos, l);
		l->env = KS_ENV_SYSLOG;
		remember_prev(env, pos);
		env->rest_len = unescape_rsyslog(raw + k, len - k, env->scratch);
		env->rest = env->scratch;
		return;
	}
	m = parse_iso_date(raw, len, 0);
	if (m != 0 && m < len && raw[m] == ' ') {
		l->wall = ks_span_make(raw, m);
		l->env = KS_ENV_DMESG_ISO;
		pos = m + 1;
	} else if (decode_continuation(env, raw, len)) {
		return;
	} else {
		pos = parse_decoded_faclev(raw, len, 0, l);
	}
	m = parse_kernel_prefix(raw, len, pos, l);
	if (m == pos && pos == 0 && l->env == KS_ENV_BARE)
		m = parse_prefix_after_noise(raw, len, l);
	pos = m;
	remember_prev(env, pos);
	env->rest = raw + pos;
	env->rest_len = len - pos;
}

bool ks_envelope_next(struct ks_envelope *env, struct ks_line *ret)
{
	const char *nl;
	size_t n;

	if (!env->have_rest)
		return false;
	nl = memchr(env->rest, '\n', env->rest_len);
	n = nl ? (size_t)(nl - env->rest) : env->rest_len;
	*ret = env->cur;
	ret->text = env->rest;
	ret->len = n;
	if (nl) {
		env->rest += n + 1;
		env->rest_len -= n + 1;
		/* Later lines of a record are whole lines, never fragments. */
		env->cur.flags &= (uint16_t)~KS_LINE_CONT;
	} else {
		env->have_rest = false;
	}
	return true;
}
