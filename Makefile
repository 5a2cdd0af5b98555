# One entry point for the series: fetch the base, apply, build, boot, test.
# See README.md.  Everything generated lands in build/.

SHELL := /bin/bash
S := scripts

.PHONY: help deps tree export kernel initramfs run test check check-series check-configs test-debug \
	distro-kernel test-distro bench-mainline clean

help:
	@sed -n 's/^## \(make .*\)/\1/p' Makefile

## make deps          install what the project needs (apt-get, as root)
deps:
	@$(S)/deps.sh

## make tree          build/linux = base + patches/ (one commit per patch)
tree: deps
	@$(S)/tree.sh

## make export        write the tree's commits after base back into patches/
export:
	@$(S)/export.sh

## make kernel        build build/bzImage from the tree
kernel: tree
	@$(S)/build-kernel.sh

## make initramfs     busybox + guest test programs -> build/initramfs.cpio.gz
initramfs: tree
	@$(S)/mkinitramfs.sh

## make run           boot the series kernel and show what it does
run: kernel initramfs
	@$(S)/run.sh

## make test          all tests, on the test kernel and the distro kernel, KTAP summary
# TEST_DISTRO=0 leaves the distro kernel out (a machine without its ccache needs
# about an hour to build it); CI runs the whole.
TEST_DISTRO ?= 1
test: kernel initramfs $(if $(filter 1,$(TEST_DISTRO)),distro-kernel)
	@$(if $(filter 1,$(TEST_DISTRO)),$(S)/mkinitramfs-extra.sh,true)
	@DISTRO=$(TEST_DISTRO) $(S)/run-tests.sh

## make distro-kernel the series with Debian's cloud-amd64 config -> build/bzImage-debian-cloud
DISTRO_DEPS := linux-config-6.1 stress-ng libnuma-dev libcap-dev
distro-kernel: tree
	@DEPS_EXTRA="$(DISTRO_DEPS)" $(S)/deps.sh
	@$(S)/build-distro-kernel.sh

## make test-distro   only tests/distro/, on the distro kernel (mm selftests, stress-ng, swap)
test-distro: initramfs distro-kernel
	@$(S)/mkinitramfs-extra.sh
	@DISTRO=only $(S)/run-tests.sh

## make check         checkpatch --strict on every patch
check: tree
	@$(S)/checkpatch.sh

## make check-series  build the kernel at every patch, in order
check-series: tree
	@$(S)/check-series.sh

## make check-configs build with TDX only, SNP only, both, neither, no memory hotplug, and the balloons (config/variants/)
check-configs: tree
	@$(S)/check-configs.sh

## make test-debug    the boot tests on a KASAN/lockdep/DEBUG_PAGEALLOC kernel (slow)
test-debug: tree initramfs
	@$(S)/test-debug.sh

## make bench-mainline mainline 6.12 + our emulation (test-only) -> build/bench/bzImage-mainline-6.12
bench-mainline: deps
	@bench/mainline-6.12/build.sh

## make clean         remove build/ (refuses if the tree holds unexported work)
clean:
	@$(S)/clean.sh
