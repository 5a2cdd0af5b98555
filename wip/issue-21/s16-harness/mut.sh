#!/bin/bash
# usage: mut.sh name 'perl-subst'  (applied to shared.c)
name=$1; expr=$2
perl -0pe "$expr" shared.c > m.c
if cmp -s m.c shared.c; then echo "$name: NOT APPLIED"; exit; fi
gcc -O1 -w -Iinc -o tm m.c kunit.c stub.c 2>/dev/null || { echo "$name: compile error"; exit; }
out=$(timeout 20 ./tm); rc=$?
fails=$(echo "$out" | grep '^FAIL' | awk '{print $2}' | tr '\n' ' ')
[ $rc -eq 124 ] && fails="TIMEOUT"
[ $rc -ge 128 ] && fails="CRASH($rc) $fails"
echo "$name: ${fails:-SURVIVED (no test fails)}"
