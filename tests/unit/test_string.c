/*
 * embed/string.c, the memcpy, memmove and memcmp linked into executables, against
 * a byte loop: every length up to 300 at every alignment, bytes around
 * the destination untouched, and memmove over overlapping blocks in both
 * directions. Compiled here under other names, not replacing the test
 * program's own memcpy.
 */
#include <stddef.h>
#include <string.h>

#include "check.h"

#define memcpy stick_test_memcpy
#define memmove stick_test_memmove
#define memcmp stick_test_memcmp
int stick_test_memcmp(const void *vl, const void *vr, size_t n);
void *stick_test_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *stick_test_memmove(void *dst, const void *src, size_t n);
#include "../../embed/string.c"
#undef memcpy
#undef memmove
#undef memcmp

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

int main(void)
{
	TEST(memcpy_copies_every_length_and_alignment);
	TEST(memmove_handles_overlap_both_ways);
	TEST(memcmp_orders_by_the_first_differing_byte);
	return CHECK_DONE();
}
