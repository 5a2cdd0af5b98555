#!/bin/sh
# vm_selftests: the kernel's own mm selftests, the tree's
# tools/testing/selftests/vm/run_vmtests.sh and the programs it runs, built
# unchanged by scripts/mkinitramfs.sh (dynamically linked, with their
# libraries) and run with bash.  Written by other people: they check this
# series from outside.
#
# This program does not judge the selftests: many of them pass, skip or fail
# for reasons of the kernel config and the machine, not of this series.  It
# reports each one's result as a "# vmtest:" line, and the host compares a
# lazily accepting guest with one that has nothing unaccepted
# (scripts/ktap.py compare, run by scripts/run-tests.sh): every test must
# end the same way in both.  It fails only if run_vmtests.sh does not run to
# its end or leaves no result.
dir=/selftests/vm
[ -x $dir/run_vmtests.sh ] || { echo "# $dir/run_vmtests.sh is missing"; exit 1; }
unacc() { awk '$1 == "Unaccepted:" {print $2}' /proc/meminfo; }
echo "# Unaccepted before: $(unacc) kB"
cd $dir || exit 1
bash ./run_vmtests.sh > /tmp/vmtests.log 2>&1
rc=$?
echo "# run_vmtests.sh exit status $rc; Unaccepted after: $(unacc) kB"
# run_test prints "running <command>" framed by dashes, the command's own
# output, then [PASS], [SKIP] or [FAIL].
awk '
	/^running / { name = substr($0, 9); next }
	/^\[(PASS|SKIP|FAIL)\]$/ && name != "" {
		r = substr($0, 2, 4); print "# vmtest: " r " " name; n++; name = ""; next
	}
	END { print "# vmtest: results " n }
' /tmp/vmtests.log > /tmp/vmtests.res
sed 's/^/#   | /' /tmp/vmtests.log
cat /tmp/vmtests.res
grep -q '^# vmtest: results [1-9]' /tmp/vmtests.res || { echo "# no result from run_vmtests.sh"; exit 1; }
# The last test of run_vmtests.sh in 6.1: the run reached its end.
grep -q '^# vmtest: [A-Z]* ./soft-dirty$' /tmp/vmtests.res || { echo "# run_vmtests.sh stopped early"; exit 1; }
exit 0
