// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksplat/symbolize.h"

/* Directory depth searched for modules: /lib/modules/RELEASE/kernel/drivers/x/y/z.ko. */
#define MODULE_DIR_DEPTH 8

struct sym_entry {
	const char *name; /* owned by libdwfl */
	GElf_Addr addr;
};

struct mod_index {
	Dwfl_Module *mod;
	char *name;             /* "kernel" or the module name with '-' as '_' */
	struct sym_entry *syms; /* sorted by name */
	size_t nsyms;
};

struct ks_sym {
	Dwfl *dwfl;
	struct mod_index *mods;
	size_t nmods;
	char err[256];
};

/* Where libdwfl looks for separate debug files; read-only after start. */
static char *debuginfo_path;

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

static int cmp_sym(const void *a, const void *b)
{
	return strcmp(((const struct sym_entry *)a)->name, ((const struct sym_entry *)b)->name);
}

/* KBUILD_MODNAME: "-" and "," become "_". */
static void normalise(char *name)
{
	for (char *p = name; *p; p++)
		if (*p == '-' || *p == ',')
			*p = '_';
}

static int report_modules(struct ks_sym *s, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;

	if (depth > MODULE_DIR_DEPTH || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		/* Never follow a link out of the directory the user named. */
		if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode)) {
			report_modules(s, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && n > 3 && strcmp(e->d_name + n - 3, ".ko") == 0) {
			char name[256];

			snprintf(name, sizeof(name), "%.*s", (int)(n - 3), e->d_name);
			normalise(name);
			dwfl_report_offline(s->dwfl, name, path, -1);
		}
	}
	closedir(d);
	return 0;
}

static int index_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
			void *arg)
{
	struct ks_sym *s = arg;
	struct mod_index *mi;
	int n = dwfl_module_getsymtab(mod);

	(void)userdata;
	(void)base;
	mi = &s->mods[s->nmods];
	mi->mod = mod;
	mi->name = strdup(name);
	if (!mi->name)
		return DWARF_CB_ABORT;
	if (n > 0) {
		mi->syms = calloc((size_t)n, sizeof(*mi->syms));
		for (int i = 0; mi->syms && i < n; i++) {
			GElf_Sym sym;
			GElf_Addr addr;
			const char *sname = dwfl_module_getsym_info(mod, i, &sym, &addr, NULL, NULL, NULL);

			if (!sname || !*sname || GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			mi->syms[mi->nsyms].name = sname;
			mi->syms[mi->nsyms].addr = addr;
			mi->nsyms++;
		}
		if (mi->syms)
			qsort(mi->syms, mi->nsyms, sizeof(*mi->syms), cmp_sym);
	}
	s->nmods++;
	return DWARF_CB_OK;
}

static int count_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
			void *arg)
{
	(void)mod;
	(void)userdata;
	(void)name;
	(void)base;
	(*(size_t *)arg)++;
	return DWARF_CB_OK;
}

int ks_sym_open(const char *vmlinux, const char *modules_dir, struct ks_sym **ret)
{
	struct ks_sym *s = calloc(1, sizeof(*s));
	size_t nmods = 0;

	if (!s)
		return -ENOMEM;
	*ret = s; /* even on failure, for ks_sym_error(); the caller frees it */
	s->dwfl = dwfl_begin(&offline_callbacks);
	if (!s->dwfl)
		goto fail;
	dwfl_report_begin(s->dwfl);
	/* The kernel first: ET_EXEC files must precede relocatable ones. */
	if (vmlinux && access(vmlinux, R_OK) != 0) {
		snprintf(s->err, sizeof(s->err), "%s", strerror(errno));
		return -errno;
	}
	if (vmlinux && !dwfl_report_offline(s->dwfl, "kernel", vmlinux, -1)) {
		snprintf(s->err, sizeof(s->err), "not an ELF file libdwfl can read (%s)",
			 dwfl_errmsg(dwfl_errno()));
		return -EINVAL;
	}
	if (modules_dir)
		report_modules(s, modules_dir, 0);
	if (dwfl_report_end(s->dwfl, NULL, NULL) != 0)
		goto fail;
	dwfl_getmodules(s->dwfl, count_module, &nmods, 0);
	s->mods = calloc(nmods ? nmods : 1, sizeof(*s->mods));
	if (!s->mods)
		return -ENOMEM;
	if (dwfl_getmodules(s->dwfl, index_module, s, 0) != 0)
		goto fail;
	return 0;
fail:
	snprintf(s->err, sizeof(s->err), "%s", dwfl_errmsg(-1) ? dwfl_errmsg(-1) : "unknown error");
	return -EIO;
}

const char *ks_sym_error(const struct ks_sym *s)
{
	return s->err[0] ? s->err : "unknown error";
}

void ks_sym_free(struct ks_sym *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nmods; i++) {
		free(s->mods[i].name);
		free(s->mods[i].syms);
	}
	free(s->mods);
	if (s->dwfl)
		dwfl_end(s->dwfl);
	free(s);
}

static const struct mod_index *find_module(const struct ks_sym *s, const char *module)
{
	char name[256];

	snprintf(name, sizeof(name), "%s", module ? module : "kernel");
	normalise(name);
	for (size_t i = 0; i < s->nmods; i++)
		if (strcmp(s->mods[i].name, name) == 0)
			return &s->mods[i];
	return NULL;
}

/*
 * When @addr lies in code inlined into its function, the outermost inlined
 * call's DW_AT_call_file/DW_AT_call_line is the line of that function a
 * developer reads (kmalloc() in faulty_function(), not slab.h).
 */
static void outer_call_site(Dwfl_Module *mod, Dwarf_Addr addr, const char **file, int *line)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, &bias), *scopes = NULL;
	Dwarf_Files *files;
	size_t nfiles;
	int n;

	if (!cu || (n = dwarf_getscopes(cu, addr - bias, &scopes)) <= 0)
		return;
	for (int i = 0; i < n; i++) {
		Dwarf_Attribute attr;
		Dwarf_Word cfile, cline;
		const char *name;

		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			break;
		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine ||
		    dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &cfile) != 0 ||
		    dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &cline) != 0 ||
		    dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || cfile >= nfiles ||
		    !(name = dwarf_filesrc(files, cfile, NULL, NULL)))
			continue;
		*file = name;
		*line = (int)cline;
	}
	free(scopes);
}

/* file:line of one frame; strings copied into @r's arena. */
static void resolve_frame(struct ks_sym *s, struct ks_report *r, struct ks_frame *f)
{
	const struct mod_index *mi;
	struct sym_entry key, *hit;
	Dwfl_Line *line;
	const char *file;
	Dwarf_Addr addr;
	int lineno;

	if (!f->func || !f->has_off || f->file || !(mi = find_module(s, f->module)) || !mi->nsyms)
		return;
	key.name = f->func;
	hit = bsearch(&key, mi->syms, mi->nsyms, sizeof(*mi->syms), cmp_sym);
	if (!hit)
		return;
	/* A return address points after the call: look up the call itself. */
	addr = hit->addr + f->off;
	if (!(f->flags & KS_FRAME_PC) && f->off > 0)
		addr -= 1;
	line = dwfl_module_getsrc(mi->mod, addr);
	if (!line || !(file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL)) || lineno <= 0)
		return;
	/* Code inlined into the frame's function: name the line of the call in that function. */
	outer_call_site(mi->mod, addr, &file, &lineno);
	f->file = ks_report_strdup(r, file, strlen(file));
	f->line = (uint32_t)lineno;
}

void ks_sym_resolve_report(struct ks_sym *s, struct ks_report *r)
{
	struct ks_frame *extra[] = { r->pc, r->preempt_site, r->irqs_off_site, r->site, r->nmi_pc,
				     r->caller_frame };

	for (uint32_t i = 0; i < r->trace.n; i++)
		resolve_frame(s, r, &r->trace.v[i]);
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (extra[i])
			resolve_frame(s, r, extra[i]);
	for (uint32_t i = 0; i < r->held.n; i++)
		if (r->held.v[i].has_at)
			resolve_frame(s, r, &r->held.v[i].at);
	for (uint32_t i = 0; i < r->involved.n; i++)
		if (r->involved.v[i].has_at)
			resolve_frame(s, r, &r->involved.v[i].at);
	if (r->acquiring && r->acquiring->has_at)
		resolve_frame(s, r, &r->acquiring->at);
}
