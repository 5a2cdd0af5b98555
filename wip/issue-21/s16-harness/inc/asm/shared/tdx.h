/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_SHARED_TDX_H
#define _ASM_X86_SHARED_TDX_H

#include <linux/bits.h>
#include <linux/types.h>

#define TDX_HYPERCALL_STANDARD  0

#define TDX_HCALL_HAS_OUTPUT	BIT(0)
#define TDX_HCALL_ISSUE_STI	BIT(1)

#define TDX_CPUID_LEAF_ID	0x21
#define TDX_IDENT		"IntelTDX    "

/* TDX module call leaves: TDG.MEM.PAGE.ACCEPT, TDG.VM.RD, TDG.MEM.PAGE.RELEASE */
#define TDX_ACCEPT_PAGE		6
#define TDX_VM_RD		7
#define TDX_RELEASE_PAGE	30

#ifndef __ASSEMBLY__

/*
 * Used in __tdx_hypercall() to pass down and get back registers' values of
 * the TDCALL instruction when requesting services from the VMM.
 *
 * This is a software only structure and not part of the TDX module/VMM ABI.
 */
struct tdx_hypercall_args {
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
};

/* Used to request services from the VMM */
u64 __tdx_hypercall(struct tdx_hypercall_args *args, unsigned long flags);

/* Called from __tdx_hypercall() for unrecoverable failure */
void __tdx_hypercall_failed(void);

struct tdx_module_output;

/* Used to communicate with the TDX module */
u64 __tdx_module_call(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
		      struct tdx_module_output *out);

/* TDX module status codes, bits 63:32 of a status */
#define TDX_STATUS_CODE_MASK		0xFFFFFFFF00000000ULL
#define TDX_PAGE_ALREADY_ACCEPTED	0x00000B0A00000000ULL

/* Accepting memory: arch/x86/coco/tdx/tdx-shared.c */
#define TDX_ACCEPT_BAD_RANGE	(~0ULL)	/* not a TDX status: misaligned range */
u64 tdx_accept_range(phys_addr_t *start, phys_addr_t end,
		     u64 (*accept)(u64 gpa_and_level));
u64 tdx_accept_page(u64 gpa_and_level);
void tdx_accept_memory(phys_addr_t start, phys_addr_t end);

/* Releasing it (hot-added memory, unplugged): also tdx-shared.c */
#define TDX_RELEASE_LOST	(~1ULL)	/* not a TDX status: neither state */
u64 tdx_release_range(phys_addr_t start, phys_addr_t end,
		      u64 (*release)(u64 gpa_and_level),
		      u64 (*accept)(u64 gpa_and_level), phys_addr_t *failed);
u64 tdx_release_page(u64 gpa_and_level);
bool tdx_release_memory(phys_addr_t start, phys_addr_t end);

/*
 * MapGPA (private/shared conversion), retried where the host converted
 * part of the range: also tdx-shared.c.
 */
#define TDVMCALL_STATUS_RETRY	1	/* GHCI: TDG.VP.VMCALL_RETRY */
#define TDX_MAP_GPA_STUCK	(~2ULL)	/* not a status: the host did not go on */
#define TDX_RELEASE_SHARED	(~3ULL)	/* not a status: left partly shared */
u64 tdx_map_gpa_range(phys_addr_t *start, phys_addr_t end,
		      u64 (*map_gpa)(phys_addr_t start, phys_addr_t end,
				     phys_addr_t *next),
		      bool (*wait)(unsigned int stuck));
u64 tdx_release_by_conversion(phys_addr_t start, phys_addr_t end, u64 shared,
			      u64 (*map_gpa)(phys_addr_t start, phys_addr_t end,
					     phys_addr_t *next),
			      bool (*wait)(unsigned int stuck),
			      u64 (*accept)(u64 gpa_and_level),
			      phys_addr_t *failed);

#endif /* !__ASSEMBLY__ */
#endif /* _ASM_X86_SHARED_TDX_H */
