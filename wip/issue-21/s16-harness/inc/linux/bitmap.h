#pragma once
#include <linux/types.h>
#include <string.h>
#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) (((n) + 63) / 64)
static inline int test_bit(unsigned long n, const unsigned long *b) { return (b[n/64] >> (n%64)) & 1; }
static inline void set_bit(unsigned long n, unsigned long *b) { b[n/64] |= 1UL << (n%64); }
static inline void clear_bit(unsigned long n, unsigned long *b) { b[n/64] &= ~(1UL << (n%64)); }
static inline unsigned long find_next_bit(const unsigned long *b, unsigned long size, unsigned long off)
{ for (; off < size; off++) if (test_bit(off, b)) return off; return size; }
static inline unsigned long find_next_zero_bit(const unsigned long *b, unsigned long size, unsigned long off)
{ for (; off < size; off++) if (!test_bit(off, b)) return off; return size; }
static inline void bitmap_set(unsigned long *b, unsigned long s, unsigned long n) { while (n--) set_bit(s++, b); }
static inline void bitmap_clear(unsigned long *b, unsigned long s, unsigned long n) { while (n--) clear_bit(s++, b); }
static inline unsigned int bitmap_weight(const unsigned long *b, unsigned long n)
{ unsigned int w = 0; for (unsigned long i = 0; i < BITS_TO_LONGS(n); i++) w += __builtin_popcountl(b[i]); return w; }
#define min(a,b) ((a) < (b) ? (a) : (b))
#define ARRAY_SIZE(a) (sizeof(a)/sizeof((a)[0]))
#define ALIGN_DOWN(x, a) ((x) & ~((typeof(x))(a) - 1))
