/*
 * malloc for stick executables: mimalloc, which CPython 3.13 already
 * carries, in place of musl's mallocng. mallocng hands memory back to the
 * kernel eagerly: a small app's start-up made ~120 mmap and ~70 munmap
 * calls (glibc's python: ~20 and 2), and the page faults that come with
 * them were a sixth of the start-up. A static musl program may replace
 * malloc by defining this whole family; musl's own internal allocations
 * keep to its private allocator.
 *
 * Linked into executables only: a library must never replace the malloc
 * of the program that loads it.
 */
#include "Python.h"

#include <errno.h>
#include <stddef.h>

#if PY_VERSION_HEX >= 0x030D0000 && defined(WITH_MIMALLOC)

#include "internal/mimalloc/mimalloc.h"

/*
 * mimalloc's defaults, set before its own constructor reads its options
 * (a lower priority number runs first); the environment still overrides
 * both (MIMALLOC_LARGE_OS_PAGES=0, MIMALLOC_PURGE_DELAY=N).
 *
 * Huge pages: mimalloc may back its heap with transparent huge pages
 * (where the kernel offers them, as Debian's does with madvise): a small
 * app's start-up then takes one page fault for its first 2 MiB of objects
 * instead of ~430 faults of 4 KiB, 0.8 ms of kernel time (a tenth of the
 * run), for ~2 MiB more resident memory.
 *
 * Purge delay: mimalloc gives freed pages back to the kernel 10 ms after
 * they empty, and a program that allocates and frees in bursts, as
 * Python does, then takes a page fault for each page again: json's
 * benchmark took 21,600 page faults against 4,460 with purging delayed
 * by a second, loops' 11,200 against 2,100 (Debian's glibc python3.13:
 * 14,300 and 1,800), 8% of their CPU time. A second keeps a burst's pages
 * for the next one and still returns memory a program stops using.
 */
static void __attribute__((constructor(101))) stick_malloc_options(void)
{
	mi_option_set_enabled_default(mi_option_allow_large_os_pages, true);
	mi_option_set_default(mi_option_purge_delay, 1000);
}

void *malloc(size_t size)
{
	return mi_malloc(size);
}

void *calloc(size_t count, size_t size)
{
	return mi_calloc(count, size);
}

void *realloc(void *p, size_t size)
{
	return mi_realloc(p, size);
}

void free(void *p)
{
	mi_free(p);
}

void *aligned_alloc(size_t alignment, size_t size)
{
	return mi_malloc_aligned(size, alignment);
}

void *memalign(size_t alignment, size_t size)
{
	return mi_malloc_aligned(size, alignment);
}

int posix_memalign(void **res, size_t alignment, size_t size)
{
	void *p;

	if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
		return EINVAL;
	p = mi_malloc_aligned(size, alignment);
	if (!p)
		return ENOMEM;
	*res = p;
	return 0;
}

size_t malloc_usable_size(void *p)
{
	return mi_usable_size(p);
}

#endif
