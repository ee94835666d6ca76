/*
 * memcpy, memmove and memcmp for stick executables. musl's x86_64 memcpy is
 * `rep movsq` with byte loops around it: the string instruction costs
 * tens of cycles to start, which dominates the short copies CPython
 * makes all the time (str joins, dict resizes, list slices, json,
 * SQLite's records): memcpy was 5-10% of the json, re and sqlite3
 * benchmarks of `make bench` (perf). These copy up to 64 bytes with
 * overlapping unaligned loads and stores, no loop, and longer blocks 64
 * bytes at a time with SSE2 (every x86_64 CPU has it), as glibc's
 * memcpy does. musl's memcmp compares one byte at a time; CPython calls
 * it for every str and bytes comparison that identity does not settle
 * (dict lookups with keys built at run time, SQLite's records); this one
 * compares 8 bytes at a time.
 *
 * musl's memmove jumps into its memcpy's object, so both are defined
 * here and neither of musl's is linked. Executables only, like malloc.c:
 * a library must not replace the functions of the program that links it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>

typedef __m128i v16;

static inline v16 ld16(const unsigned char *p)
{
	return _mm_loadu_si128((const v16 *)(const void *)p);
}

static inline void st16(unsigned char *p, v16 v)
{
	_mm_storeu_si128((v16 *)(void *)p, v);
}

static inline uint64_t ld8(const unsigned char *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, 8);
	return v;
}

static inline void st8(unsigned char *p, uint64_t v)
{
	__builtin_memcpy(p, &v, 8);
}

static inline uint32_t ld4(const unsigned char *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, 4);
	return v;
}

static inline void st4(unsigned char *p, uint32_t v)
{
	__builtin_memcpy(p, &v, 4);
}

/*
 * n <= 64: every byte is loaded before any is stored, so this is also a
 * correct memmove for overlapping blocks.
 */
static inline void copy_small(unsigned char *d, const unsigned char *s,
			      size_t n)
{
	if (n >= 32) {
		v16 a = ld16(s), b = ld16(s + 16);
		v16 c = ld16(s + n - 32), e = ld16(s + n - 16);

		st16(d, a);
		st16(d + 16, b);
		st16(d + n - 32, c);
		st16(d + n - 16, e);
	} else if (n >= 16) {
		v16 a = ld16(s), b = ld16(s + n - 16);

		st16(d, a);
		st16(d + n - 16, b);
	} else if (n >= 8) {
		uint64_t a = ld8(s), b = ld8(s + n - 8);

		st8(d, a);
		st8(d + n - 8, b);
	} else if (n >= 4) {
		uint32_t a = ld4(s), b = ld4(s + n - 4);

		st4(d, a);
		st4(d + n - 4, b);
	} else if (n) {
		unsigned char a = s[0], b = s[n / 2], c = s[n - 1];

		d[0] = a;
		d[n / 2] = b;
		d[n - 1] = c;
	}
}

/* n > 64, copying upwards: safe when d <= s or the blocks do not meet. */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	v16 tail[4];

	for (int i = 0; i < 4; i++)
		tail[i] = ld16(s + n - 64 + 16 * i);
	for (; n > 64; n -= 64, d += 64, s += 64) {
		v16 a = ld16(s), b = ld16(s + 16), c = ld16(s + 32), e = ld16(s + 48);

		st16(d, a);
		st16(d + 16, b);
		st16(d + 32, c);
		st16(d + 48, e);
	}
	for (int i = 0; i < 4; i++)
		st16(d + n - 64 + 16 * i, tail[i]);
}

/* n > 64, copying downwards: for d > s when the blocks overlap. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	v16 head[4];

	for (int i = 0; i < 4; i++)
		head[i] = ld16(s + 16 * i);
	for (; n > 64; n -= 64) {
		v16 a = ld16(s + n - 16), b = ld16(s + n - 32);
		v16 c = ld16(s + n - 48), e = ld16(s + n - 64);

		st16(d + n - 16, a);
		st16(d + n - 32, b);
		st16(d + n - 48, c);
		st16(d + n - 64, e);
	}
	for (int i = 0; i < 4; i++)
		st16(d + 16 * i, head[i]);
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	if (n <= 64)
		copy_small(dst, src, n);
	else
		copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (n <= 64)
		copy_small(d, s, n);
	else if (d <= s || d >= s + n)
		copy_forward(d, s, n);
	else
		copy_backward(d, s, n);
	return dst;
}

/* The order of the first differing byte of two 8-byte words. */
static inline int diff8(uint64_t a, uint64_t b)
{
	a = __builtin_bswap64(a);
	b = __builtin_bswap64(b);
	return a < b ? -1 : 1;
}

int memcmp(const void *vl, const void *vr, size_t n)
{
	const unsigned char *l = vl, *r = vr;

	for (; n >= 8; n -= 8, l += 8, r += 8) {
		uint64_t a = ld8(l), b = ld8(r);

		if (a != b)
			return diff8(a, b);
	}
	for (; n; n--, l++, r++) {
		if (*l != *r)
			return *l - *r;
	}
	return 0;
}

#endif
