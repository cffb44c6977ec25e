// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ksplat: find kernel reports in logs and say what went wrong, where, and
 * under which lock. main() parses options, runs the pipeline
 *   source -> envelope -> assemble (detect) -> analyze -> dedup/render
 * and turns results into an exit status, as grep does.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ksplat/analyze.h"
#include "ksplat/assemble.h"
#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/jentry.h"
#include "ksplat/journal.h"
#include "ksplat/merge.h"
#include "ksplat/policy.h"
#include "ksplat/render.h"
#include "ksplat/source.h"
#include "ksplat/symbolize.h"
#include "ksplat/syztitle.h"

#ifndef KSPLAT_VERSION
#define KSPLAT_VERSION "0.1.0"
#endif

enum exit_status {
	EXIT_NONE = 0,   /* no report */
	EXIT_FOUND = 1,  /* reports found */
	EXIT_ERROR = 2,  /* usage, input or output error */
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct ks_opts {
	enum ks_format format;
	enum color_mode color;
	size_t max_line;
	struct ks_assemble_limits lim;
	size_t max_signatures;
	struct ks_sym_config sym; /* --vmlinux, --modules, --system-map, ... */
	bool follow;              /* -f */
	const char *kmsg;         /* --kmsg: the device read, or NULL */
	bool journal;             /* --journal (or --journal-file, --journal-dir) */
	bool emit_journal;        /* --emit-journal */
	size_t top;               /* --top */
	bool quiet, verbose;      /* -q, -v */
	const char *suppress, *baseline, *write_baseline, *fail_on;
	enum ks_group group;      /* --group-by */
	bool merge;               /* ksplat merge FILE.json... */
	bool max_signatures_set;  /* --max-signatures given */
	struct ks_journal_opts jo;
	const char **journal_files; /* --journal-file, as many as given */
	int idle_ms;              /* following: quiet time that closes an open report */
	char **inputs;
	int ninputs;
};

struct ks_pipeline {
	struct ks_envelope *env;
	struct ks_detect *detect;
	struct ks_assemble *as;
	struct ks_syz *syz;
	struct ks_dedup *dedup;
	struct ks_render *render;
	struct ks_sym *sym;
	struct ks_policy *policy;
	const struct ks_opts *o;
	uint64_t failing;    /* reports that fail the run: exit status 1 */
	bool emit_journal;   /* --emit-journal, until the journal turns out to be absent */
	int out_errno;       /* why writing standard output failed, once it has */
	uint64_t reports;
};

enum {
	OPT_COLOR = 256,
	OPT_MAX_LINE,
	OPT_MAX_LINES,
	OPT_MAX_OPEN,
	OPT_MAX_SIGNATURES,
	OPT_REPORT_TIMEOUT,
	OPT_VMLINUX,
	OPT_MODULES,
	OPT_SYSTEM_MAP,
	OPT_KALLSYMS,
	OPT_DEBUGINFOD,
	OPT_SRCDIR,
	OPT_NO_HOST_SYMBOLS,
	OPT_KMSG,
	OPT_IDLE_TIMEOUT,
	OPT_JOURNAL,
	OPT_JOURNAL_FILE,
	OPT_JOURNAL_DIR,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_EMIT_JOURNAL,
	OPT_TOP,
	OPT_SUPPRESS,
	OPT_BASELINE,
	OPT_WRITE_BASELINE,
	OPT_FAIL_ON,
	OPT_GROUP_BY,
};

static const struct option long_options[] = {
	{ "format", required_argument, NULL, 'F' },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "max-line", required_argument, NULL, OPT_MAX_LINE },
	{ "max-lines", required_argument, NULL, OPT_MAX_LINES },
	{ "max-open", required_argument, NULL, OPT_MAX_OPEN },
	{ "max-signatures", required_argument, NULL, OPT_MAX_SIGNATURES },
	{ "report-timeout", required_argument, NULL, OPT_REPORT_TIMEOUT },
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
	{ "modules", required_argument, NULL, OPT_MODULES },
	{ "system-map", required_argument, NULL, OPT_SYSTEM_MAP },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "debuginfod", no_argument, NULL, OPT_DEBUGINFOD },
	{ "srcdir", required_argument, NULL, OPT_SRCDIR },
	{ "no-host-symbols", no_argument, NULL, OPT_NO_HOST_SYMBOLS },
	{ "follow", no_argument, NULL, 'f' },
	{ "kmsg", optional_argument, NULL, OPT_KMSG },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT },
	{ "journal", no_argument, NULL, OPT_JOURNAL },
	{ "journal-file", required_argument, NULL, OPT_JOURNAL_FILE },
	{ "journal-dir", required_argument, NULL, OPT_JOURNAL_DIR },
	{ "boot", optional_argument, NULL, 'b' },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "emit-journal", no_argument, NULL, OPT_EMIT_JOURNAL },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "suppress", required_argument, NULL, OPT_SUPPRESS },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "group-by", required_argument, NULL, OPT_GROUP_BY },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fputs("Usage: ksplat [OPTION]... [FILE]...\n"
	      "  or:  ksplat merge [OPTION]... FILE.json...\n"
	      "Find kernel reports (sleeping in atomic context, lockdep, warnings) in kernel logs\n"
	      "and name the offending function, the sleeping call and the lock held.\n"
	      "With no FILE, or when FILE is -, read standard input.\n"
	      "ksplat merge folds the --format=json documents of several runs into one ranking.\n"
	      "\n"
	      "  -F, --format=FMT          text (default), json, jsonl (one report per line,\n"
	      "                            written as soon as it is complete), journal-export,\n"
	      "                            sarif, dot\n"
	      "  -f, --follow              wait for more input, like tail -F; each report is\n"
	      "                            written as soon as it is complete\n"
	      "      --kmsg[=DEV]          read the kernel's records from /dev/kmsg\n"
	      "      --journal             read the kernel's messages from the systemd journal\n"
	      "      --journal-file=FILE   ... from this journal file (repeatable)\n"
	      "      --journal-dir=DIR     ... from the journal files in DIR\n"
	      "  -b, --boot[=ID|[+-]N]     journal: that boot only (0, or none given: the last)\n"
	      "      --since=TIME          journal: from TIME (\"2026-11-25 10:00\", -1h, today)\n"
	      "      --until=TIME          journal: up to TIME\n"
	      "      --emit-journal        also send each report to the journal (MESSAGE_ID\n"
	      "                            " KS_JOURNAL_MESSAGE_ID ")\n"
	      "      --idle-timeout=MS     following: close a report quiet this long (1000)\n"
	      "      --top=N               show the N highest-ranked findings only\n"
	      "      --group-by=KEY        one finding per signature (default), function or lock\n"
	      "  -q, --quiet               text: the summary table only\n"
	      "  -v, --verbose             text: each finding's report lines too\n"
	      "      --suppress=FILE       drop reports by signature, function, lock or kind\n"
	      "      --baseline=FILE       reports whose signature is in FILE do not fail the run\n"
	      "      --write-baseline=FILE write the signatures found to FILE\n"
	      "      --fail-on=KIND,...    only these kinds (or deadlock, atomic, crash, lockdep,\n"
	      "                            warning) fail the run\n"
	      "      --color=WHEN          auto (default), always, never\n"
	      "      --max-line=BYTES      cut longer input lines (default 16384)\n"
	      "      --max-lines=N         lines kept per report (default 1000)\n"
	      "      --max-open=N          reports assembled at once (default 32)\n"
	      "      --max-signatures=N    distinct reports kept for the ranking (default 1024)\n"
	      "      --report-timeout=SEC  kernel-time silence that ends a report (default 10)\n"
	      "      --vmlinux=FILE        symbolize kernel frames to file:line (ELF with DWARF)\n"
	      "      --modules=DIR         symbolize module frames with the .ko files under DIR\n"
	      "      --system-map=FILE     name kernel addresses from a System.map (no lines)\n"
	      "      --kallsyms=FILE       name addresses from a saved /proc/kallsyms\n"
	      "      --debuginfod          fetch vmlinux and modules by build id (DEBUGINFOD_URLS)\n"
	      "      --srcdir=DIR          show the source lines of culprit and lock from DIR\n"
	      "      --no-host-symbols     never use this host's /boot, /lib/modules, debug files\n"
	      "  -h, --help                show this help and exit\n"
	      "  -V, --version             show the version and exit\n"
	      "\n"
	      "Exit status: 0 no report found, 1 reports found, 2 an error occurred.\n",
	      out);
}

/* A whole number in [min, max], or -1 with a message naming the option. */
static long parse_number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "ksplat: --%s: '%s' is not a number from %ld to %ld\n", opt, arg, min,
			max);
		return -1;
	}
	return v;
}

/*
 * -b takes its value attached (-b-1, --boot=ID) or, as journalctl allows,
 * as the next word when that is a boot: "-1", "+2", "0", an ID, "ID-1".
 */
static const char *boot_argument(int argc, char **argv)
{
	const char *next = optind < argc ? argv[optind] : NULL;
	size_t digits;

	if (optarg)
		return optarg;
	if (!next)
		return "";
	digits = strspn(next + (next[0] == '-' || next[0] == '+'), "0123456789");
	if ((digits && next[digits + (next[0] == '-' || next[0] == '+')] == '\0') ||
	    strspn(next, "0123456789abcdefABCDEF") == 32) {
		optind++;
		return next;
	}
	return "";
}

static int parse_group(const char *arg, enum ks_group *ret)
{
	static const char *const names[] = {
		[KS_GROUP_SIGNATURE] = "signature", [KS_GROUP_FUNCTION] = "function", [KS_GROUP_LOCK] = "lock",
	};

	for (size_t i = 0; i < KS_ARRAY_SIZE(names); i++) {
		if (strcmp(arg, names[i]) == 0) {
			*ret = (enum ks_group)i;
			return 0;
		}
	}
	fprintf(stderr, "ksplat: --group-by: expected signature, function or lock\n");
	return -1;
}

/* Source options that cannot go together. */
static int check_sources(const struct ks_opts *o)
{
	if (!o->journal && (o->jo.boot || o->jo.since || o->jo.until)) {
		fputs("ksplat: -b, --since and --until select from the journal: add --journal\n", stderr);
		return -1;
	}
	if (o->journal && (o->kmsg || o->ninputs)) {
		fputs("ksplat: --journal reads the journal: give no FILE and no --kmsg with it\n", stderr);
		return -1;
	}
	if (o->kmsg && o->ninputs) {
		fputs("ksplat: --kmsg reads the kernel's records: give no FILE with it\n", stderr);
		return -1;
	}
	if (o->follow && o->ninputs > 1) {
		fputs("ksplat: --follow follows one input\n", stderr);
		return -1;
	}
	if (o->follow && (o->format == KS_FORMAT_JSON || o->format == KS_FORMAT_SARIF ||
			  o->format == KS_FORMAT_DOT)) {
		fputs("ksplat: --follow writes reports as they come: use --format=jsonl, "
		      "journal-export or text\n", stderr);
		return -1;
	}
	return 0;
}

/* 0 to run, 1 when done (help/version), -1 on a usage error. */
static int parse_options(int argc, char **argv, struct ks_opts *o)
{
	int c;
	long v;

	while ((c = getopt_long(argc, argv, "F:fb::qvhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'F':
			o->format = ks_format_by_name(optarg);
			if (o->format == _KS_FORMAT_INVALID) {
				fprintf(stderr, "ksplat: --format: unknown format '%s' (text, json, jsonl, journal-export, sarif, dot)\n",
					optarg);
				return -1;
			}
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				o->color = COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				o->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				o->color = COLOR_NEVER;
			else {
				fprintf(stderr, "ksplat: --color: expected auto, always or never\n");
				return -1;
			}
			break;
		case OPT_MAX_LINE:
			if ((v = parse_number("max-line", optarg, 256, 16 << 20)) < 0)
				return -1;
			o->max_line = (size_t)v;
			break;
		case OPT_MAX_LINES:
			if ((v = parse_number("max-lines", optarg, 16, 1000000)) < 0)
				return -1;
			o->lim.max_lines = (uint32_t)v;
			break;
		case OPT_MAX_OPEN:
			if ((v = parse_number("max-open", optarg, 1, 4096)) < 0)
				return -1;
			o->lim.max_open = (uint32_t)v;
			break;
		case OPT_MAX_SIGNATURES:
			if ((v = parse_number("max-signatures", optarg, 1, 1000000)) < 0)
				return -1;
			o->max_signatures = (size_t)v;
			o->max_signatures_set = true;
			break;
		case OPT_REPORT_TIMEOUT:
			if ((v = parse_number("report-timeout", optarg, 0, 86400)) < 0)
				return -1;
			o->lim.gap_ns = (uint64_t)v * 1000000000;
			break;
		case OPT_VMLINUX:
			o->sym.vmlinux = optarg;
			break;
		case OPT_MODULES:
			o->sym.modules_dir = optarg;
			break;
		case OPT_SYSTEM_MAP:
			o->sym.system_map = optarg;
			break;
		case OPT_KALLSYMS:
			o->sym.kallsyms = optarg;
			break;
		case OPT_DEBUGINFOD:
			o->sym.debuginfod = true;
			break;
		case OPT_SRCDIR:
			o->sym.srcdir = optarg;
			break;
		case 'f':
			o->follow = true;
			break;
		case OPT_KMSG:
			o->kmsg = optarg ? optarg : "/dev/kmsg";
			break;
		case OPT_IDLE_TIMEOUT:
			if ((v = parse_number("idle-timeout", optarg, 10, 3600000)) < 0)
				return -1;
			o->idle_ms = (int)v;
			break;
		case OPT_JOURNAL:
			o->journal = true;
			break;
		case OPT_JOURNAL_FILE:
			o->journal = true;
			o->journal_files[o->jo.nfiles++] = optarg;
			break;
		case OPT_JOURNAL_DIR:
			o->journal = true;
			o->jo.dir = optarg;
			break;
		case 'b':
			o->jo.boot = boot_argument(argc, argv);
			break;
		case OPT_SINCE:
			o->jo.since = optarg;
			break;
		case OPT_UNTIL:
			o->jo.until = optarg;
			break;
		case OPT_EMIT_JOURNAL:
			o->emit_journal = true;
			break;
		case OPT_TOP:
			if ((v = parse_number("top", optarg, 1, 1000000)) < 0)
				return -1;
			o->top = (size_t)v;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_SUPPRESS:
			o->suppress = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_WRITE_BASELINE:
			o->write_baseline = optarg;
			break;
		case OPT_FAIL_ON:
			o->fail_on = optarg;
			break;
		case OPT_GROUP_BY:
			if (parse_group(optarg, &o->group) < 0)
				return -1;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_NO_HOST_SYMBOLS:
			o->sym.host_release = NULL;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("ksplat %s\n", KSPLAT_VERSION);
			return 1;
		default:
			fputs("Try 'ksplat --help' for more information.\n", stderr);
			return -1;
		}
	}
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
	return check_sources(o);
}

static void warn_symbols(void *ctx, const char *msg)
{
	(void)ctx;
	fputs("ksplat: warning: ", stderr);
	ks_put_escaped(stderr, msg, strlen(msg));
	fputc('\n', stderr);
}

/* Columns of the terminal standard output is, 0 when it is none: names are cut to fit. */
static unsigned terminal_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_col < 40)
		return 0;
	return ws.ws_col;
}

static bool want_color(enum color_mode mode)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	if (no_color && no_color[0])
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO);
}

static bool known_report(const void *policy, const struct ks_report *r)
{
	return ks_policy_known(policy, r);
}

/* --suppress, --baseline, --fail-on: read and checked before any input. */
static int setup_policy(struct ks_policy **ret, const struct ks_opts *o)
{
	char err[512];
	int r = ks_policy_new(ret);

	if (r == 0 && o->suppress)
		r = ks_policy_load_suppressions(*ret, o->suppress, err, sizeof(err));
	if (r == 0 && o->baseline)
		r = ks_policy_load_baseline(*ret, o->baseline, err, sizeof(err));
	if (r == 0 && o->fail_on)
		r = ks_policy_set_fail_on(*ret, o->fail_on, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "ksplat: %s\n", r == -ENOMEM && !*ret ? strerror(ENOMEM) : err);
	return r;
}

/* --emit-journal: the report as a structured entry; without a journald, say so once. */
static void emit_journal(struct ks_pipeline *p, const struct ks_report *r)
{
	struct ks_jentry e;
	int err = ks_jentry_from_report(&e, r);

	if (err == 0)
		err = ks_jexport_send(e.f, e.n);
	ks_jentry_done(&e);
	if (err < 0) {
		fprintf(stderr, "ksplat: --emit-journal: %s%s\n", strerror(-err),
			err == -ENOENT || err == -ECONNREFUSED ? " (no journald here): not sending any more" : "");
		if (err == -ENOENT || err == -ECONNREFUSED)
			p->emit_journal = false;
	}
}

/*
 * Standard output failed: the reader went away (ksplat --format=jsonl log |
 * head) or the disk is full. Reading on would only waste the input: stop,
 * with the error kept for the exit status. -EPIPE stands for any such error.
 */
static int output_error(struct ks_pipeline *p)
{
	if (!ferror(stdout))
		return 0;
	if (!p->out_errno)
		p->out_errno = errno ? errno : EIO;
	return -EPIPE;
}

/* Analyse every report the assembler closed; render now or keep for the ranking. */
static int drain(struct ks_pipeline *p)
{
	struct ks_report *r;
	int err;

	while ((r = ks_assemble_pop(p->as))) {
		ks_sym_resolve_report(p->sym, r);
		err = ks_analyze_findings(r);
		if (err < 0) {
			ks_report_free(r);
			return err;
		}
		ks_sym_add_source(p->sym, r);
		if (ks_policy_suppressed(p->policy, r)) {
			ks_report_free(r);
			continue;
		}
		p->failing += ks_policy_fails(p->policy, r);
		if (p->o->write_baseline && (err = ks_policy_note(p->policy, r, p->o->max_signatures)) < 0) {
			ks_report_free(r);
			return err;
		}
		/* A duplicate that is only counted needs no title: it is the costly part. */
		if ((p->emit_journal || ks_render_is_streaming(p->render) || !ks_dedup_has(p->dedup, r)) &&
		    (err = ks_analyze_title(p->syz, r)) < 0) {
			ks_report_free(r);
			return err;
		}
		if (p->emit_journal)
			emit_journal(p, r);
		p->reports++;
		if (ks_render_is_streaming(p->render)) {
			ks_render_report(p->render, r);
			ks_report_free(r);
			if ((err = output_error(p)) < 0)
				return err;
			continue;
		}
		err = ks_dedup_add(p->dedup, r);
		if (err < 0)
			return err;
	}
	return 0;
}

static size_t scan_lines(const void *detect, const char *text, size_t len, bool *ret_found)
{
	return ks_detect_skip(detect, text, len, ret_found);
}

/* Every line the source has now through the pipeline; 0, or -errno. */
static int feed_available(struct ks_pipeline *p, struct ks_source *src, uint32_t source,
			  const char *name)
{
	struct ks_raw raw;
	struct ks_line line;
	int r;

	for (;;) {
		/* Between reports, lines that cannot start one go unread, in bulk. */
		if (ks_assemble_idle(p->as)) {
			int64_t skipped = ks_source_skip(src, scan_lines, p->detect);

			if (skipped < 0)
				return (int)skipped;
			if (skipped > 0)
				ks_envelope_break(p->env);
		}
		if ((r = ks_source_read(src, &raw)) <= 0)
			break;
		ks_envelope_feed(p->env, raw.p, raw.len, raw.lineno, raw.cut);
		while (ks_envelope_next(p->env, &line)) {
			/* "Kernel Offset:" is printed outside the reports it explains. */
			if (line.len && line.text[0] == 'K')
				ks_sym_note_line(p->sym, source, line.text, line.len);
			r = ks_assemble_feed(p->as, &line, source, name);
			if (r < 0)
				return r;
		}
		r = drain(p);
		if (r < 0)
			return r;
	}
	return r;
}

/* /dev/kmsg: records the kernel overwrote before ksplat read them are a gap, not an error. */
static void tell_lost(struct ks_source *src, const char *name)
{
	uint64_t lost = ks_source_take_lost(src);

	if (lost)
		fprintf(stderr, "ksplat: %s: %" PRIu64 " message%s overwritten before %s read\n", name, lost,
			lost == 1 ? " was" : "s were", lost == 1 ? "it was" : "they were");
}

/*
 * Following: what is complete is written at once; a report still open is
 * closed once the input has been quiet for the idle time, so nothing waits
 * for the next splat.
 */
static int follow_source(struct ks_pipeline *p, const struct ks_opts *o, struct ks_source *src,
			 uint32_t source, const char *name)
{
	int r;

	for (;;) {
		if ((r = feed_available(p, src, source, name)) < 0 || ks_source_ended(src))
			return r;
		tell_lost(src, name);
		fflush(stdout);
		if ((r = output_error(p)) < 0)
			return r;
		r = ks_source_wait(src, o->idle_ms);
		if (r < 0)
			return r;
		if (r == 0) {
			ks_assemble_flush(p->as);
			if ((r = drain(p)) < 0)
				return r;
			fflush(stdout);
			if ((r = output_error(p)) < 0)
				return r;
		}
	}
}

/* Stream one input through the pipeline. -errno for an unreadable input. */
static int process_input(struct ks_pipeline *p, const struct ks_opts *o, const char *path,
			 uint32_t source, const char *name)
{
	struct ks_source_opts so = { .max_line = o->max_line, .follow = o->follow };
	struct ks_source *src = NULL;
	int r = o->journal ? ks_source_open_journal(&o->jo, &so, &src)
		: o->kmsg  ? ks_source_open_kmsg(path, &so, &src)
			   : ks_source_open_file(path, &so, &src);

	if (r >= 0) {
		ks_envelope_reset(p->env);
		r = o->follow ? follow_source(p, o, src, source, name) : feed_available(p, src, source, name);
		tell_lost(src, name);
	}
	if (r < 0 && !p->out_errno)
		fprintf(stderr, "ksplat: %s: %s\n", name,
			src && ks_source_error(src) ? ks_source_error(src) : strerror(-r));
	/* Reports never span inputs. */
	ks_assemble_flush(p->as);
	ks_source_free(src);
	{
		int d = drain(p);

		if (r >= 0 && d < 0)
			r = d;
	}
	return r;
}

static void pipeline_free(struct ks_pipeline *p)
{
	ks_render_free(p->render);
	ks_dedup_free(p->dedup);
	ks_assemble_free(p->as);
	ks_detect_free(p->detect);
	ks_syz_free(p->syz);
	ks_envelope_free(p->env);
	ks_sym_free(p->sym);
	ks_policy_free(p->policy);
}

/* ksplat merge: documents of several runs have their findings folded, the ranking redone. */
#define MERGE_MAX_SIGNATURES 1000000

/* How many findings fail the run, as drain() counts reports. */
static uint64_t count_failing(struct ks_dedup *dd, const struct ks_policy *policy)
{
	const struct ks_dedup_entry *const *ranked;
	size_t n = ks_dedup_ranked(dd, &ranked);
	uint64_t failing = 0;

	for (size_t i = 0; i < n; i++)
		failing += !ks_policy_suppressed(policy, ranked[i]->first) &&
			   ks_policy_fails(policy, ranked[i]->first);
	return failing;
}

static void write_merged(struct ks_render *rd, struct ks_dedup *dd)
{
	const struct ks_dedup_entry *const *ranked;
	size_t n = ks_dedup_ranked(dd, &ranked);

	if (!ks_render_is_streaming(rd)) {
		ks_render_summary(rd, dd);
		return;
	}
	for (size_t i = 0; i < n; i++)
		ks_render_report(rd, ranked[i]->first);
}

static int run_merge(struct ks_opts *o)
{
	struct ks_dedup *dd = NULL;
	struct ks_merge *m = NULL;
	struct ks_policy *policy = NULL;
	struct ks_render *rd = NULL;
	const char *const *inputs;
	uint32_t ninputs;
	uint64_t failing = 0;
	bool failed = false;
	int r;

	if (o->ninputs == 0) {
		fputs("ksplat merge: give the --format=json documents to merge\n", stderr);
		return EXIT_ERROR;
	}
	if ((r = ks_dedup_new(o->max_signatures_set ? o->max_signatures : MERGE_MAX_SIGNATURES, &dd)) < 0 ||
	    (r = ks_merge_new(&m)) < 0 || (r = setup_policy(&policy, o)) < 0) {
		if (r == -ENOMEM)
			fputs("ksplat: out of memory\n", stderr);
		goto out;
	}
	ks_dedup_set_group(dd, o->group);
	for (int i = 0; i < o->ninputs; i++) {
		char err[512];

		const char *path = strcmp(o->inputs[i], "-") == 0 ? "/dev/stdin" : o->inputs[i];

		if ((r = ks_merge_add_file(m, path, dd, err, sizeof(err))) < 0) {
			fprintf(stderr, "ksplat: merge: %s\n", err);
			failed = true;
			if (r == -ENOMEM)
				goto out;
		}
	}
	inputs = ks_merge_inputs(m, &ninputs);
	struct ks_render_opts ro = {
		.format = o->format,
		.color = want_color(o->color),
		.version = KSPLAT_VERSION,
		.inputs = inputs,
		.ninputs = ninputs,
		.srcdir = o->sym.srcdir,
		.top = o->top,
		.quiet = o->quiet,
		.verbose = o->verbose,
		.known = o->baseline ? known_report : NULL,
		.known_ctx = policy,
		.width = terminal_width(),
	};
	if ((r = ks_render_new(&ro, stdout, &rd)) < 0) {
		fprintf(stderr, "ksplat: cannot start: %s\n", strerror(-r));
		goto out;
	}
	write_merged(rd, dd);
	failing = count_failing(dd, policy);
	r = 0;
out:
	ks_render_free(rd);
	ks_policy_free(policy);
	ks_dedup_free(dd);
	ks_merge_free(m); /* after the dedup: its reports name their inputs with the merge's strings */
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_ERROR;
	return r < 0 || failed ? EXIT_ERROR : failing ? EXIT_FOUND : EXIT_NONE;
}

int main(int argc, char **argv)
{
	struct ks_opts o = {
		.format = KS_FORMAT_TEXT,
		.color = COLOR_AUTO,
		.max_line = 16384,
		.lim = { .max_open = 32, .max_lines = 1000, .arena_cap = 256 * 1024,
			 .gap_ns = UINT64_C(10000000000) },
		.max_signatures = 1024,
		.idle_ms = 1000,
		.sym = { .warn = warn_symbols },
	};
	struct utsname host;
	struct ks_pipeline p = { 0 };
	static char *stdin_only[] = { "-" };
	char *kmsg_only[1];
	const char **names;
	bool failed = false;
	int r;

	if (uname(&host) == 0)
		o.sym.host_release = host.release;
	/* --journal-file may be given as often as there are arguments. */
	o.journal_files = calloc((size_t)argc, sizeof(*o.journal_files));
	if (!o.journal_files) {
		fputs("ksplat: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	o.jo.files = o.journal_files;
	/* "ksplat merge ...": the options and files after the word. */
	if (argc > 1 && strcmp(argv[1], "merge") == 0) {
		o.merge = true;
		argc--;
		argv++;
	}
	r = parse_options(argc, argv, &o);
	if (r != 0) {
		free(o.journal_files);
		return r > 0 ? EXIT_NONE : EXIT_ERROR;
	}
	if (o.merge) {
		r = run_merge(&o);
		free(o.journal_files);
		return r;
	}
	if (o.kmsg || o.journal) {
		kmsg_only[0] = (char *)(o.kmsg ? o.kmsg : "journal");
		o.inputs = kmsg_only;
		o.ninputs = 1;
	} else if (o.ninputs == 0) {
		o.inputs = stdin_only;
		o.ninputs = 1;
	}
	/* A reader that goes away (ksplat log | head) is an output error, not a signal death. */
	signal(SIGPIPE, SIG_IGN);
	names = calloc((size_t)o.ninputs, sizeof(*names));
	if (!names) {
		fputs("ksplat: out of memory\n", stderr);
		free(o.journal_files);
		return EXIT_ERROR;
	}
	for (int i = 0; i < o.ninputs; i++)
		names[i] = strcmp(o.inputs[i], "-") == 0 ? "(standard input)" : o.inputs[i];

	struct ks_render_opts ro = {
		.format = o.format,
		.color = want_color(o.color),
		.version = KSPLAT_VERSION,
		.inputs = names,
		.ninputs = (uint32_t)o.ninputs,
		.srcdir = o.sym.srcdir,
		.follow = o.follow,
		.top = o.top,
		.quiet = o.quiet,
		.verbose = o.verbose,
		.known = o.baseline ? known_report : NULL,
		.width = terminal_width(),
	};
	if ((r = ks_envelope_new(o.max_line, &p.env)) < 0 || (r = ks_detect_new(&p.detect)) < 0 ||
	    (r = ks_syz_new(&p.syz)) < 0 || (r = ks_assemble_new(&o.lim, p.detect, &p.as)) < 0 ||
	    (r = ks_dedup_new(o.max_signatures, &p.dedup)) < 0) {
		fprintf(stderr, "ksplat: cannot start: %s\n", strerror(-r));
		pipeline_free(&p);
		free(names);
		free(o.journal_files);
		return EXIT_ERROR;
	}
	ks_dedup_set_group(p.dedup, o.group);
	p.emit_journal = o.emit_journal;
	p.o = &o;
	if (setup_policy(&p.policy, &o) < 0) {
		pipeline_free(&p);
		free(names);
		free(o.journal_files);
		return EXIT_ERROR;
	}
	ro.known_ctx = p.policy;
	if ((r = ks_render_new(&ro, stdout, &p.render)) < 0) {
		fprintf(stderr, "ksplat: cannot start: %s\n", strerror(-r));
		pipeline_free(&p);
		free(names);
		free(o.journal_files);
		return EXIT_ERROR;
	}
	r = ks_sym_new(&o.sym, &p.sym);
	if (r < 0) {
		fprintf(stderr, "ksplat: cannot use symbols: %s\n",
			p.sym ? ks_sym_error(p.sym) : strerror(-r));
		pipeline_free(&p);
		free(names);
		free(o.journal_files);
		return EXIT_ERROR;
	}
	if (ks_render_is_streaming(p.render))
		setvbuf(stdout, NULL, _IOLBF, 0);

	for (int i = 0; i < o.ninputs; i++) {
		r = process_input(&p, &o, o.inputs[i], (uint32_t)i, names[i]);
		if (r < 0) {
			failed = true;
			if (r == -ENOMEM || p.out_errno)
				break;
		}
	}
	ks_render_summary(p.render, p.dedup);
	if (o.write_baseline) {
		char err[512];

		if (ks_policy_write_baseline(p.policy, o.write_baseline, err, sizeof(err)) < 0) {
			fprintf(stderr, "ksplat: --write-baseline: %s\n", err);
			failed = true;
		}
	}
	pipeline_free(&p);
	free(names);
	free(o.journal_files);
	if ((fflush(stdout) != 0 || ferror(stdout)) && !p.out_errno)
		p.out_errno = errno ? errno : EIO;
	if (p.out_errno) {
		/* A reader that went away wants no message, as with grep. */
		if (p.out_errno != EPIPE)
			fprintf(stderr, "ksplat: writing output failed: %s\n", strerror(p.out_errno));
		return EXIT_ERROR;
	}
	if (failed)
		return EXIT_ERROR;
	return p.failing ? EXIT_FOUND : EXIT_NONE;
}
