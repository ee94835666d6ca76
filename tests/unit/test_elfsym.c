/*
 * elfsym.c on objects built here: a real one (a musl libc member from the
 * fuzz seeds), one with more than 0xff00 sections' extended numbering
 * (e_shnum 0, the count in section 0), and the same bytes at an odd
 * address with an odd section table offset (read by memcpy, as the
 * fuzzer found they must be).
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elfsym.h"

/* An object: header, strtab "\0sym\0", one global defined symbol. */
struct tiny {
	char bytes[1024];
	size_t size;
};

static void tiny_make(struct tiny *t, size_t shoff, bool extended)
{
	Elf64_Ehdr eh = { .e_shentsize = sizeof(Elf64_Shdr), .e_shnum = 3 };
	Elf64_Shdr sh[3] = { { 0 } };
	Elf64_Sym sym[2] = { { 0 } };
	const char strtab[] = "\0sym";

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_shoff = shoff;
	if (extended) {
		eh.e_shnum = 0;
		sh[0].sh_size = 3;
	}
	sh[1] = (Elf64_Shdr){ .sh_type = SHT_STRTAB, .sh_offset = 100,
			      .sh_size = sizeof(strtab) };
	sh[2] = (Elf64_Shdr){ .sh_type = SHT_SYMTAB, .sh_offset = 120,
			      .sh_size = sizeof(sym), .sh_link = 1 };
	sym[1].st_name = 1;
	sym[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	sym[1].st_shndx = 1;
	memset(t->bytes, 0, sizeof(t->bytes));
	memcpy(t->bytes, &eh, sizeof(eh));
	memcpy(t->bytes + 100, strtab, sizeof(strtab));
	memcpy(t->bytes + 120, sym, sizeof(sym));
	memcpy(t->bytes + shoff, sh, sizeof(sh));
	t->size = shoff + sizeof(sh);
}

static void a_real_object(void)
{
	struct strvec defined = STRVEC_INIT, undefined = STRVEC_INIT;
	size_t groups = 1;

	CHECK(!elfsym_defined_globals(TOP_DIR
		"/tests/fuzz/corpus/elfsym/musl-fopen.o", &defined));
	CHECK(!elfsym_undefined(TOP_DIR
		"/tests/fuzz/corpus/elfsym/musl-fopen.o", &undefined));
	CHECK(!elfsym_count_groups(TOP_DIR
		"/tests/fuzz/corpus/elfsym/musl-fopen.o", &groups));
	CHECK(defined.n == 1 && defined.n && !strcmp(defined.v[0], "fopen"));
	CHECK(undefined.n > 0);
	CHECK(groups == 0);
	strvec_clear(&defined);
	strvec_clear(&undefined);
}

static void extended_section_numbering(void)
{
	struct tiny t;
	struct strvec defined = STRVEC_INIT;

	tiny_make(&t, 200, true);
	CHECK(!elfsym_scan(t.bytes, t.size, ELFSYM_DEFINED, &defined, NULL));
	CHECK_STR(defined.n == 1 ? defined.v[0] : NULL, "sym");
	/* A count past the end of the file is refused. */
	memset(t.bytes + 200 + offsetof(Elf64_Shdr, sh_size), 0xff, 8);
	CHECK(elfsym_scan(t.bytes, t.size, ELFSYM_DEFINED, &defined, NULL));
	strvec_clear(&defined);
}

static void unaligned_buffer_and_table(void)
{
	struct tiny t;
	char *odd = malloc(sizeof(t.bytes) + 1);
	struct strvec defined = STRVEC_INIT;

	tiny_make(&t, 203, false);
	memcpy(odd + 1, t.bytes, t.size);
	CHECK(!elfsym_scan(odd + 1, t.size, ELFSYM_DEFINED, &defined, NULL));
	CHECK_STR(defined.n == 1 ? defined.v[0] : NULL, "sym");
	strvec_clear(&defined);
	free(odd);
}

int main(void)
{
	TEST(a_real_object);
	TEST(extended_section_numbering);
	TEST(unaligned_buffer_and_table);
	return CHECK_DONE();
}
