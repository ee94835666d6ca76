#include "target.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "banned.h"

static const struct target targets[] = {
	{
		.triple = "x86_64-linux-musl", .arch = "x86_64", .musl = true,
		.gcc = "gcc",
		.kernel_include = "/usr/include",
		.kernel_asm = "/usr/include/x86_64-linux-gnu/asm",
		.loader = "/lib/ld-musl-x86_64.so.1",
		.clang = "x86_64-linux-musl",
		.objcopy = "objcopy",
	},
	{
		/* Debian's gcc-aarch64-linux-gnu; its kernel headers are
		 * linux-libc-dev-arm64-cross's. Its libgcc's outline atomics
		 * call __getauxval, which musl 1.2.6 defines. */
		.triple = "aarch64-linux-musl", .arch = "aarch64", .musl = true,
		.gcc = "aarch64-linux-gnu-gcc",
		.kernel_include = "/usr/aarch64-linux-gnu/include",
		.kernel_asm = "/usr/aarch64-linux-gnu/include/asm",
		.loader = "/lib/ld-musl-aarch64.so.1",
		.clang = "aarch64-linux-musl",
		.qemu = "qemu-aarch64-static",
		.objcopy = "aarch64-linux-gnu-objcopy",
	},
	{
		.triple = "x86_64-linux-gnu", .arch = "x86_64", .musl = false,
		.gcc = "gcc",
		.kernel_include = "/usr/include",
		.kernel_asm = "/usr/include/x86_64-linux-gnu/asm",
		.clang = "x86_64-linux-gnu",
		.objcopy = "objcopy",
	},
};

const struct target *target_default(void)
{
	return &targets[0];
}

const struct target *target_glibc(void)
{
	return &targets[2];
}

const struct target *target_find(const char *triple)
{
	for (size_t i = 0; triple && i < ARRAY_SIZE(targets); i++) {
		if (!strcmp(targets[i].triple, triple))
			return &targets[i];
	}
	return NULL;
}

char *target_known(void)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		if (targets[i].musl)
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "",
				    targets[i].triple);
	}
	return strbuf_detach(&sb);
}

bool target_is_cross(const struct target *t)
{
	return t->qemu != NULL;
}

char *target_configure_args(const struct target *t)
{
	if (!target_is_cross(t))
		return NULL;
	return xasprintf("--build=" TARGET_BUILD_TRIPLE " --host=%s", t->triple);
}

int target_runner(const struct target *t, struct strvec *out)
{
	char *qemu;
	bool found;

	if (!t->qemu)
		return 0;
	qemu = path_find_program(t->qemu);
	found = qemu != NULL;
	free(qemu);
	if (!found)
		return error("cannot run %s programs: '%s' is not on PATH; "
			     "install qemu-user-static (scripts/setup does)",
			     t->triple, t->qemu);
	strvec_push(out, t->qemu);
	return 0;
}
