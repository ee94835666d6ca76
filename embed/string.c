/*
 * memcpy, memmove, memcmp, memchr, memrchr and strlen for stick
 * executables. musl's x86_64 memcpy is
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
 * compares 8 bytes at a time. musl's memchr and strlen go a word at a
 * time and its memrchr a byte at a time; CPython's find, rfind, `in`,
 * split and partition on str and bytes call memchr and memrchr for a
 * single character (bytes.find(1) over 30 KB took 8x the time of the
 * distribution's python3.13 on glibc). These look at 16 bytes at a time
 * with SSE2, 64 per step in long runs, and only ever load aligned blocks
 * (16 bytes, or 64 from a 64-byte boundary), so they never touch a page
 * that the bytes up to the one sought do not share.
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

/*
 * glibc's own memchr, memrchr and strlen pick AVX2 versions at run time:
 * these are for musl only (and the unit test).
 */
#if !defined(__GLIBC__) || defined(STICK_STRING_TEST)

/* Bit i set: byte i of the aligned block at p equals the needle's bytes. */
static inline unsigned match16(const unsigned char *p, v16 needle)
{
	v16 v = _mm_load_si128((const v16 *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, needle));
}

/* Whether any byte of the 64 aligned bytes at p equals the needle's. */
static inline int any64(const unsigned char *p, v16 needle)
{
	const v16 *q = (const v16 *)(const void *)p;
	v16 a = _mm_cmpeq_epi8(_mm_load_si128(q), needle);
	v16 b = _mm_cmpeq_epi8(_mm_load_si128(q + 1), needle);
	v16 c = _mm_cmpeq_epi8(_mm_load_si128(q + 2), needle);
	v16 d = _mm_cmpeq_epi8(_mm_load_si128(q + 3), needle);

	return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b),
					      _mm_or_si128(c, d))) != 0;
}

void *memchr(const void *src, int c, size_t n)
{
	const unsigned char *s = src;
	size_t off = (uintptr_t)s & 15;
	const unsigned char *p = s - off;
	v16 needle = _mm_set1_epi8((char)c);
	unsigned m;

	if (!n)
		return NULL;
	/*
	 * The first block, from s: n counts from s, the block from p. A
	 * caller may pass more than the bytes there are, as musl's strnlen
	 * does, when the byte is sure to come first: reading ahead must not
	 * cross into a page that may not be mapped.
	 */
	n = n < SIZE_MAX - 64 ? n + off : SIZE_MAX - 64;
	m = match16(p, needle) >> off << off;
	for (;;) {
		if (m) {
			size_t i = (size_t)__builtin_ctz(m);

			return i < n ? (void *)(p + i) : NULL;
		}
		if (n <= 16)
			return NULL;
		n -= 16;
		p += 16;
		/* 64 bytes a step only from a 64-byte boundary. */
		while (!((uintptr_t)p & 63) && n >= 64 && !any64(p, needle)) {
			n -= 64;
			p += 64;
		}
		if (!n)
			return NULL;
		m = match16(p, needle);
	}
}

void *memrchr(const void *src, int c, size_t n)
{
	const unsigned char *s = src;
	v16 needle = _mm_set1_epi8((char)c);
	const unsigned char *end = s + n, *p;
	unsigned m;

	if (!n)
		return NULL;
	/* The block holding the last byte, from its start p to end. */
	p = (const unsigned char *)((uintptr_t)(end - 1) & ~(uintptr_t)15);
	m = match16(p, needle) & (0xffffu >> (16 - (size_t)(end - p)));
	for (;;) {
		if (m) {
			const unsigned char *r = p + 31 - __builtin_clz(m);

			return r >= s ? (void *)r : NULL;
		}
		if (p <= s)
			return NULL;
		while (p - s >= 64 && !any64(p - 64, needle))
			p -= 64;
		if (p <= s)
			return NULL;
		p -= 16;
		m = match16(p, needle);
	}
}

size_t strlen(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t off = (uintptr_t)s & 15;
	const unsigned char *p = s - off;
	v16 zero = _mm_setzero_si128();
	unsigned m = match16(p, zero) >> off << off;

	while (!m) {
		p += 16;
		m = match16(p, zero);
	}
	return (size_t)(p + __builtin_ctz(m) - s);
}

#endif /* __GLIBC__ */

#endif
