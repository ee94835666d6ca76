#include "elfsym.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static bool in_file(size_t size, Elf64_Off off, Elf64_Xword len)
{
	return off <= size && len <= size - off;
}

/*
 * More than 0xff00 sections (a large partial link): e_shnum is 0 and
 * section 0's sh_size holds the count.
 */
static int extended_count(const char *buf, size_t size, Elf64_Off off,
			  size_t *n)
{
	Elf64_Shdr first;

	if (!in_file(size, off, sizeof(first)))
		return -1;
	memcpy(&first, buf + off, sizeof(first));
	if (first.sh_size > (size - off) / sizeof(first))
		return -1;
	*n = first.sh_size;
	return 0;
}

/*
 * The section header table: its offset and count, or -1. The headers are
 * read by memcpy, since a table (or a symbol table) need not be aligned.
 */
static int section_table(const char *buf, size_t size, Elf64_Off *off,
			 size_t *n)
{
	Elf64_Ehdr eh;

	if (size < sizeof(eh))
		return -1;
	memcpy(&eh, buf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(size, eh.e_shoff, (Elf64_Xword)eh.e_shnum *
		     sizeof(Elf64_Shdr)))
		return -1;
	*off = eh.e_shoff;
	*n = eh.e_shnum;
	return *n || !eh.e_shoff ? 0 : extended_count(buf, size, *off, n);
}

static Elf64_Shdr section_header(const char *buf, Elf64_Off table, size_t i)
{
	Elf64_Shdr sh;

	memcpy(&sh, buf + table + i * sizeof(sh), sizeof(sh));
	return sh;
}

/*
 * The global symbols of one SHT_SYMTAB section: defined ones (global, weak
 * and GNU unique) or undefined ones.
 */
static int symtab_globals(const char *buf, size_t size, Elf64_Off table,
			  size_t nsh, const Elf64_Shdr *tab, enum elfsym_what what,
			  struct strvec *out)
{
	Elf64_Shdr str;
	size_t n = tab->sh_size / sizeof(Elf64_Sym);

	if (tab->sh_link >= nsh || !in_file(size, tab->sh_offset, tab->sh_size))
		return -1;
	str = section_header(buf, table, tab->sh_link);
	if (!in_file(size, str.sh_offset, str.sh_size) || !str.sh_size ||
	    buf[str.sh_offset + str.sh_size - 1])
		return -1;
	for (size_t i = 1; i < n; i++) {
		Elf64_Sym s;
		int bind;

		memcpy(&s, buf + tab->sh_offset + i * sizeof(s), sizeof(s));
		bind = ELF64_ST_BIND(s.st_info);
		if (bind != STB_GLOBAL && bind != STB_WEAK &&
		    bind != STB_GNU_UNIQUE)
			continue;
		if ((s.st_shndx == SHN_UNDEF) != (what == ELFSYM_UNDEFINED))
			continue;
		if (s.st_name >= str.sh_size)
			return -1;
		strvec_push(out, buf + str.sh_offset + s.st_name);
	}
	return 0;
}

int elfsym_scan(const char *buf, size_t size, enum elfsym_what what,
		struct strvec *out, size_t *count)
{
	Elf64_Off table;
	size_t nsh;
	Elf64_Word type = what == ELFSYM_GROUPS ? SHT_GROUP : SHT_SYMTAB;
	int ret = section_table(buf, size, &table, &nsh);

	for (size_t i = 0; !ret && i < nsh; i++) {
		Elf64_Shdr sh = section_header(buf, table, i);

		if (sh.sh_type != type)
			continue;
		if (what == ELFSYM_GROUPS)
			(*count)++;
		else
			ret = symtab_globals(buf, size, table, nsh, &sh, what,
					     out);
	}
	return ret;
}

/* elfsym_scan() of the file at path; 0, or -1 with a message naming it. */
static int scan_file(const char *path, enum elfsym_what what,
		     struct strvec *out, size_t *count)
{
	size_t size;
	char *buf = read_file(path, &size);
	int ret;

	if (!buf)
		return error("cannot read '%s':", path);
	ret = elfsym_scan(buf, size, what, out, count);
	free(buf);
	if (ret)
		return error("'%s' is not a well-formed ELF64 object", path);
	return 0;
}

int elfsym_defined_globals(const char *path, struct strvec *out)
{
	return scan_file(path, ELFSYM_DEFINED, out, NULL);
}

int elfsym_undefined(const char *path, struct strvec *out)
{
	return scan_file(path, ELFSYM_UNDEFINED, out, NULL);
}

int elfsym_count_groups(const char *path, size_t *count)
{
	*count = 0;
	return scan_file(path, ELFSYM_GROUPS, NULL, count);
}
