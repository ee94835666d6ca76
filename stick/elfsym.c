#include "elfsym.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static bool in_file(size_t size, Elf64_Off off, Elf64_Xword len)
{
	return off <= size && len <= size - off;
}

static const Elf64_Shdr *section_headers(const char *buf, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(size, eh->e_shoff, (Elf64_Xword)eh->e_shnum *
		     sizeof(Elf64_Shdr)))
		return NULL;
	return (const Elf64_Shdr *)(buf + eh->e_shoff);
}

/* Which symbols symtab_globals collects. */
enum which { DEFINED, UNDEFINED };

/*
 * The global symbols of one SHT_SYMTAB section: defined ones (global, weak
 * and GNU unique) or undefined ones.
 */
static int symtab_globals(const char *buf, size_t size, const Elf64_Shdr *sh,
			  size_t nsh, const Elf64_Shdr *tab, enum which which,
			  struct strvec *out)
{
	const Elf64_Shdr *str;
	size_t n = tab->sh_size / sizeof(Elf64_Sym);

	if (tab->sh_link >= nsh || !in_file(size, tab->sh_offset, tab->sh_size))
		return -1;
	str = &sh[tab->sh_link];
	if (!in_file(size, str->sh_offset, str->sh_size) || !str->sh_size ||
	    buf[str->sh_offset + str->sh_size - 1])
		return -1;
	for (size_t i = 1; i < n; i++) {
		const Elf64_Sym *s = (const Elf64_Sym *)(buf + tab->sh_offset) + i;
		int bind = ELF64_ST_BIND(s->st_info);

		if (bind != STB_GLOBAL && bind != STB_WEAK &&
		    bind != STB_GNU_UNIQUE)
			continue;
		if ((s->st_shndx == SHN_UNDEF) != (which == UNDEFINED))
			continue;
		if (s->st_name >= str->sh_size)
			return -1;
		strvec_push(out, buf + str->sh_offset + s->st_name);
	}
	return 0;
}

/*
 * Reads path's sections of type type: counts them (count), and for a
 * symbol table collects its global symbols (out, which). 0, or -1 with a
 * message naming the file.
 */
static int each_section(const char *path, Elf64_Word type, enum which which,
			struct strvec *out, size_t *count)
{
	size_t size;
	char *buf = read_file(path, &size);
	const Elf64_Shdr *sh;
	size_t nsh;
	int ret = 0;

	if (!buf)
		return error("cannot read '%s':", path);
	sh = section_headers(buf, size);
	nsh = sh ? ((const Elf64_Ehdr *)buf)->e_shnum : 0;
	if (!sh)
		ret = -1;
	for (size_t i = 0; !ret && i < nsh; i++) {
		if (sh[i].sh_type != type)
			continue;
		if (count)
			(*count)++;
		if (out)
			ret = symtab_globals(buf, size, sh, nsh, &sh[i], which,
					     out);
	}
	free(buf);
	if (ret)
		return error("'%s' is not a well-formed ELF64 object", path);
	return 0;
}

int elfsym_defined_globals(const char *path, struct strvec *out)
{
	return each_section(path, SHT_SYMTAB, DEFINED, out, NULL);
}

int elfsym_undefined(const char *path, struct strvec *out)
{
	return each_section(path, SHT_SYMTAB, UNDEFINED, out, NULL);
}

int elfsym_count_groups(const char *path, size_t *count)
{
	*count = 0;
	return each_section(path, SHT_GROUP, DEFINED, NULL, count);
}
