#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
typedef uint64_t u64; typedef uint32_t u32; typedef uint64_t phys_addr_t;
#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
