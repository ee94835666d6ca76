/*
 * `stick info FILE`: what a stick-built executable or library contains,
 * read from the metadata linked into it at build time (describe.h).
 */
#include <ar.h>
#include <elf.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "describe.h"
#include "log.h"
#include "banned.h"

/* A byte range of the file being read. */
struct span {
	const char *p;
	size_t n;
};

static bool in_bounds(struct span s, size_t off, size_t len)
{
	return off <= s.n && len <= s.n - off;
}

/* The contents of section name in a 64-bit ELF file, or {NULL, 0}. */
static struct span elf_section(struct span f, const char *name)
{
	struct span none = { NULL, 0 };
	Elf64_Ehdr eh;
	Elf64_Shdr sh, strtab;

	if (!in_bounds(f, 0, sizeof(eh)) || memcmp(f.p, ELFMAG, SELFMAG) ||
	    f.p[EI_CLASS] != ELFCLASS64)
		return none;
	memcpy(&eh, f.p, sizeof(eh));
	if (eh.e_shentsize != sizeof(sh) || eh.e_shstrndx >= eh.e_shnum ||
	    !in_bounds(f, eh.e_shoff, (size_t)eh.e_shnum * sizeof(sh)))
		return none;
	memcpy(&strtab, f.p + eh.e_shoff + eh.e_shstrndx * sizeof(sh),
	       sizeof(sh));
	for (size_t i = 0; i < eh.e_shnum; i++) {
		memcpy(&sh, f.p + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type != SHT_PROGBITS ||
		    !in_bounds(f, strtab.sh_offset, strtab.sh_size) ||
		    sh.sh_name >= strtab.sh_size ||
		    strnlen(f.p + strtab.sh_offset + sh.sh_name,
			    strtab.sh_size - sh.sh_name) != strlen(name) ||
		    memcmp(f.p + strtab.sh_offset + sh.sh_name, name,
			   strlen(name)) ||
		    !in_bounds(f, sh.sh_offset, sh.sh_size))
			continue;
		return (struct span){ f.p + sh.sh_offset, sh.sh_size };
	}
	return none;
}

/* Section name of the first member of an ar archive that has it. */
static struct span archive_section(struct span f, const char *name)
{
	struct span none = { NULL, 0 };
	size_t off = SARMAG;

	if (!in_bounds(f, 0, SARMAG) || memcmp(f.p, ARMAG, SARMAG))
		return none;
	while (in_bounds(f, off, 60)) {
		char size[11];
		size_t n;

		memcpy(size, f.p + off + 48, 10);
		size[10] = '\0';
		n = strtoul(size, NULL, 10);
		if (!in_bounds(f, off + 60, n))
			break;
		struct span member = { f.p + off + 60, n };
		struct span s = elf_section(member, name);
		if (s.p)
			return s;
		off += 60 + n + (n & 1);
	}
	return none;
}

static struct span find_section(struct span f, const char *name)
{
	struct span s = elf_section(f, name);

	return s.p ? s : archive_section(f, name);
}

const char *info_find_section(const char *data, size_t len, const char *name,
			      size_t *n)
{
	struct span s = find_section((struct span){ data, len }, name);

	*n = s.n;
	return s.p;
}

/* The text of a metadata section, without its terminating NUL. */
static void print_section(struct span s)
{
	size_t n = strnlen(s.p, s.n);

	fwrite(s.p, 1, n, stdout);
	if (n && s.p[n - 1] != '\n')
		putchar('\n');
}

static int info_file(const char *path, bool json)
{
	size_t len;
	char *data = read_file(path, &len);
	struct span f = { data, len }, s;
	int ret = 0;

	if (!data)
		return error("cannot read '%s':", path);
	s = find_section(f, json ? DESCRIBE_SECTION_JSON : DESCRIBE_SECTION_TEXT);
	if (s.p && s.n)
		print_section(s);
	else if ((len < SELFMAG || memcmp(data, ELFMAG, SELFMAG)) &&
		 (len < SARMAG || memcmp(data, ARMAG, SARMAG)))
		ret = error("'%s' is not an ELF executable, library or object; "
			    "stick did not build it", path);
	else
		ret = error("'%s' has no stick metadata (no %s section): stick "
			    "did not build it, or an older stick did", path,
			    DESCRIBE_SECTION_JSON);
	free(data);
	return ret;
}

int cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "hqv", longopts, NULL)) != -1) {
		enum cmd_common common = cmd_common_option(opt);

		if (common == CMD_COMMON_HELP) {
			fputs(info_command.usage, stdout);
			return 0;
		} else if (common == CMD_COMMON_TAKEN) {
			continue;
		} else if (opt == 'j') {
			json = true;
		} else {
			return cmd_usage_error("info", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("info", "expected one FILE");
	return info_file(argv[optind], json) ? 1 : 0;
}

const struct command info_command = {
	.name = "info",
	.run = cmd_info,
	.summary = "show what a stick-built binary contains",
	.usage =
	"usage: stick info [--json] FILE\n\n"
	"Prints what the stick-built executable or library FILE contains:\n"
	"its Python version, the components and their versions, licenses\n"
	"and source digests, the number of frozen modules, the built-in C\n"
	"modules, the application's packages and the build options. It is\n"
	"read from metadata linked into FILE when it was built (the ELF\n"
	"sections .stick_summary and .stick_info), so it describes exactly\n"
	"that build. A file stick did not build is an error (exit 1).\n\n"
	"options:\n"
	"  --json           print the metadata as JSON\n"
	"  -h, --help       show this help\n",
};
