#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <linux/bitmap.h>
struct kunit { const char *name; int fail; };
struct kunit_case { void (*run)(struct kunit *); const char *name; };
struct kunit_suite { const char *name; int (*init)(struct kunit *); struct kunit_case *test_cases; };
#define GFP_KERNEL 0
static inline void *kunit_kzalloc(struct kunit *t, size_t n, int f) { return calloc(1, n); }
#define KUNIT_EXPECT_EQ(t, a, b) do { unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); if (_a != _b) { printf("  %s:%d %s: EXPECT %s == %s: %#llx != %#llx\n", __FILE__, __LINE__, (t)->name, #a, #b, _a, _b); (t)->fail = 1; } } while (0)
#define KUNIT_ASSERT_EQ(t, a, b) do { unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b); if (_a != _b) { printf("  %s:%d %s: ASSERT %s == %s: %#llx != %#llx\n", __FILE__, __LINE__, (t)->name, #a, #b, _a, _b); (t)->fail = 1; return; } } while (0)
#define KUNIT_EXPECT_FALSE(t, c) KUNIT_EXPECT_EQ(t, !!(c), 0)
#define KUNIT_ASSERT_NOT_NULL(t, p) do { if (!(p)) abort(); } while (0)
#define KUNIT_CASE(f) { f, #f }
#define kunit_test_suite(s) \
int main(void) { int bad = 0; for (struct kunit_case *c = (s).test_cases; c->run; c++) { struct kunit t = { c->name, 0 }; (s).init(&t); c->run(&t); printf("%s %s\n", t.fail ? "FAIL" : "ok  ", c->name); bad |= t.fail; } return bad; }
