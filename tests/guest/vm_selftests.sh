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
#
# A test program that fails is run once more, at once, at the same point
# of the run (run_vmtests.sh's hugetlb pool and mounts still set up): some
# race by design: userfaultfd's hugetlb stress test failed once, in the
# background boot of one CI run, then passed 24 times in a row alone there.
# Each program is wrapped to do that; run_vmtests.sh itself is unchanged.
# The second run's result counts; the first failure is reported
# ("# vmtest-rerun:"), so that the host says which test needed it and why,
# and so is the last line a failed test printed ("# vmtest-why:").
dir=/selftests/vm
[ -x $dir/run_vmtests.sh ] || { echo "# $dir/run_vmtests.sh is missing"; exit 1; }
unacc() { awk '$1 == "Unaccepted:" {print $2}' /proc/meminfo; }
echo "# Unaccepted before: $(unacc) kB"
cd $dir || exit 1
# The wrappers: ./X becomes a script that runs the program, now .X.bin,
# under its own name, and once more if it fails (exit status neither 0 nor
# 4, kselftest's skip).
mkdir -p /tmp/vmwrap && chmod 1777 /tmp/vmwrap
for f in ./*; do
	[ -f "$f" ] && [ -x "$f" ] && [ "$(head -c 4 "$f" | tail -c 3)" = ELF ] || continue
	bin=$dir/.${f#./}.bin
	mv "$f" "$bin"
	cat > "$f" <<EOF
#!/bin/bash
out=/tmp/vmwrap/out.\$\$
(exec -a "\$0" $bin "\$@") > "\$out" 2>&1
rc=\$?
cat "\$out"
if [ "\$rc" != 0 ] && [ "\$rc" != 4 ]; then
	why=\$(grep -v '^[[:space:]]*\$' "\$out" | tail -n 1 | cut -c 1-160)
	echo "vm_selftests: exit status \$rc (\$why); running it again"
	(exec -a "\$0" $bin "\$@")
	rc=\$?
fi
rm -f "\$out"
exit "\$rc"
EOF
	chmod 755 "$f"
done
bash ./run_vmtests.sh > /tmp/vmtests.log 2>&1
rc=$?
echo "# run_vmtests.sh exit status $rc; Unaccepted after: $(unacc) kB"
# run_test prints "running <command>" framed by dashes, the command's own
# output, then [PASS], [SKIP] or [FAIL].  A wrapper's "running it again"
# line is reported with the test's result, and so is the last line a
# failed test printed.
awk '
	/^running / { name = substr($0, 9); rerun = last = ""; next }
	/^vm_selftests: exit status / && name != "" { rerun = substr($0, 15); next }
	/^\[(PASS|SKIP|FAIL)\]$/ && name != "" {
		r = substr($0, 2, 4); print "# vmtest: " r " " name; n++
		if (rerun != "")
			print "# vmtest-rerun: " name " :: " rerun
		if (r == "FAIL" && last != "")
			print "# vmtest-why: " name " :: " last
		name = ""; next
	}
	/[^[:space:]]/ && !/^-+$/ { last = substr($0, 1, 160) }
	END { print "# vmtest: results " n }
' /tmp/vmtests.log > /tmp/vmtests.res
sed 's/^/#   | /' /tmp/vmtests.log
cat /tmp/vmtests.res
grep -q '^# vmtest: results [1-9]' /tmp/vmtests.res || { echo "# no result from run_vmtests.sh"; exit 1; }
# The last test of run_vmtests.sh in 6.1: the run reached its end.
grep -q '^# vmtest: [A-Z]* ./soft-dirty$' /tmp/vmtests.res || { echo "# run_vmtests.sh stopped early"; exit 1; }
exit 0
