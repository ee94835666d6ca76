/*
 * embed/string.c, the memcpy, memmove, memcmp, memchr, memrchr and strlen
 * linked into executables, against a byte loop: every length up to 300
 * at every alignment, bytes around the destination untouched, memmove
 * over overlapping blocks in both directions, the searches never finding
 * what lies outside the bytes asked for nor reading into the next page.
 * Compiled here under other names, not replacing the test program's own
 * functions.
 */
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

#define memcpy stick_test_memcpy
#define memmove stick_test_memmove
#define memcmp stick_test_memcmp
int stick_test_memcmp(const void *vl, const void *vr, size_t n);
void *stick_test_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *stick_test_memmove(void *dst, const void *src, size_t n);
#define memchr stick_test_memchr
#define memrchr stick_test_memrchr
#define strlen stick_test_strlen
void *stick_test_memchr(const void *src, int c, size_t n);
void *stick_test_memrchr(const void *src, int c, size_t n);
size_t stick_test_strlen(const char *str);
#define STICK_STRING_TEST 1
#include "../../embed/string.c"
#undef memcpy
#undef memmove
#undef memcmp
#undef memchr
#undef memrchr
#undef strlen

#define SIZE 1024

static void fill(unsigned char *buf, unsigned seed)
{
	for (size_t i = 0; i < SIZE; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
}

/* What memmove(buf + to, buf + from, n) must leave in buf. */
static void reference(unsigned char *buf, size_t to, size_t from, size_t n)
{
	unsigned char tmp[SIZE];

	for (size_t i = 0; i < n; i++)
		tmp[i] = buf[from + i];
	for (size_t i = 0; i < n; i++)
		buf[to + i] = tmp[i];
}

static void memcpy_copies_every_length_and_alignment(void)
{
	unsigned char src[SIZE], dst[SIZE], want[SIZE];
	int bad = 0;

	fill(src, 1);
	for (size_t n = 0; n <= 300 && !bad; n++) {
		for (size_t so = 0; so < 16; so++) {
			for (size_t dof = 0; dof < 16; dof++) {
				fill(dst, (unsigned)n);
				memcpy(want, dst, SIZE);
				for (size_t i = 0; i < n; i++)
					want[dof + 100 + i] = src[so + i];
				if (stick_test_memcpy(dst + dof + 100, src + so, n) !=
				    dst + dof + 100 || memcmp(dst, want, SIZE))
					bad++;
			}
		}
	}
	CHECK(bad == 0);
}

static void memmove_handles_overlap_both_ways(void)
{
	unsigned char buf[SIZE], want[SIZE];
	int bad = 0;

	for (size_t n = 0; n <= 300; n++) {
		for (int shift = -130; shift <= 130; shift++) {
			size_t from = 300, to = (size_t)(300 + shift);

			fill(buf, (unsigned)(n + 7));
			memcpy(want, buf, SIZE);
			reference(want, to, from, n);
			if (stick_test_memmove(buf + to, buf + from, n) != buf + to ||
			    memcmp(buf, want, SIZE))
				bad++;
		}
	}
	CHECK(bad == 0);
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* The sign of the first difference, at every position and length. */
static void memcmp_orders_by_the_first_differing_byte(void)
{
	unsigned char a[SIZE], b[SIZE];
	int bad = 0;

	fill(a, 3);
	for (size_t n = 0; n <= 80; n++) {
		for (size_t off = 0; off < 8; off++) {
			memcpy(b, a, SIZE);
			if (stick_test_memcmp(a + off, b + off, n) != 0)
				bad++;
			for (size_t at = 0; at < n; at++) {
				memcpy(b, a, SIZE);
				b[off + at] = (unsigned char)(a[off + at] + 1 + at % 200);
				/* a later difference must not win */
				if (at + 1 < n)
					b[off + n - 1] ^= 0x80;
				if (sign(stick_test_memcmp(a + off, b + off, n)) !=
				    sign(memcmp(a + off, b + off, n)))
					bad++;
			}
		}
	}
	CHECK(bad == 0);
}

static const unsigned char *first(const unsigned char *s, int c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == (unsigned char)c)
			return s + i;
	return NULL;
}

static const unsigned char *last(const unsigned char *s, int c, size_t n)
{
	while (n--)
		if (s[n] == (unsigned char)c)
			return s + n;
	return NULL;
}

/*
 * The needle 0xA5 (passed as an int beyond a byte, as memchr converts it)
 * at no place, or at one or two places inside the n bytes, and always
 * right outside them on both sides.
 */
static void searches_find_only_inside_the_bytes(void)
{
	unsigned char buf[SIZE];
	int bad = 0, c = 0x1A5;

	for (size_t off = 0; off < 64; off++) {
		for (size_t n = 0; n <= 300; n++) {
			for (size_t at = 0; at <= n + 1; at++) {
				unsigned char *s = buf + 128 + off;

				memset(buf, 0x11, SIZE);
				s[-1] = s[n] = 0xA5;
				if (at < n)
					s[at] = 0xA5;
				if (at < n && at + 7 < n)
					s[at + 7] = 0xA5;
				if (stick_test_memchr(s, c, n) != first(s, c, n) ||
				    stick_test_memrchr(s, c, n) != last(s, c, n))
					bad++;
			}
		}
	}
	CHECK(bad == 0);
}

static void strlen_counts_to_the_first_zero(void)
{
	unsigned char buf[SIZE];
	int bad = 0;

	for (size_t off = 0; off < 64; off++) {
		for (size_t n = 0; n <= 300; n++) {
			memset(buf, 'x', SIZE);
			buf[off + n] = 0;
			buf[off + n + 3] = 0;
			if (stick_test_strlen((char *)buf + off) != n)
				bad++;
		}
	}
	CHECK(bad == 0);
}

/* Bytes that end where an unreadable page begins, or start where one ends. */
static void searches_stay_inside_the_page(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *map = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *mid = map + page;
	int bad = 0;

	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return;
	CHECK(mprotect(map, page, PROT_NONE) == 0);
	CHECK(mprotect(mid + page, page, PROT_NONE) == 0);
	memset(mid, 0x22, page);
	for (size_t n = 0; n <= 200; n++) {
		unsigned char *end = mid + page - n;

		if (stick_test_memchr(end, 0x33, n) ||
		    stick_test_memrchr(end, 0x33, n) ||
		    stick_test_memchr(mid, 0x33, n) ||
		    stick_test_memrchr(mid, 0x33, n))
			bad++;
		if (n) {
			/* what strnlen asks: the byte comes before the page ends */
			end[n - 1] = 0;
			if (stick_test_strlen((char *)end) != n - 1 ||
			    stick_test_memchr(end, 0, (size_t)-1) != end + n - 1 ||
			    stick_test_memchr(end, 0, 4096 + n) != end + n - 1)
				bad++;
			end[n - 1] = 0x22;
		}
	}
	CHECK(bad == 0);
	munmap(map, 3 * page);
}

int main(void)
{
	TEST(memcpy_copies_every_length_and_alignment);
	TEST(memmove_handles_overlap_both_ways);
	TEST(memcmp_orders_by_the_first_differing_byte);
	TEST(searches_find_only_inside_the_bytes);
	TEST(strlen_counts_to_the_first_zero);
	TEST(searches_stay_inside_the_page);
	return CHECK_DONE();
}
