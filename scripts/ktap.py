#!/usr/bin/env python3
"""Turn the logs of a test boot into test results, and sum up a test run.

  ktap.py check NAME OUTDIR [--timed-out] [--negative-control] [--expect-warn TEXT] [--allow-oom]
      Read OUTDIR/console.log (kernel log with the KUnit KTAP) and
      OUTDIR/guest.ktap (the guest tests' KTAP); write OUTDIR/results,
      one result per line: "ok|not ok|skip<TAB>NAME: test path<TAB>detail".
  ktap.py compare NAME OUTDIR OTHER OTHERDIR
      Compare the "# vmtest:" results (a peer suite's per-test results) of
      OTHERDIR's guest with OUTDIR's, the reference; append to OUTDIR/results.
  ktap.py summary RESULTS...
      Print all results as one KTAP stream and the closing line
      "N passed, N failed, N skipped"; exit 1 if anything failed.
  ktap.py selftest
      Check this parser on made-up logs; print results like "check".

Every leaf test of a KTAP stream is one result; a suite's own result line
only counts when it reports a failure none of its tests explains.  A plan
("1..N") with fewer results than announced is a failure ("missing results"),
and so is a stream that never appears.  The kernel log must be free of
warnings, BUGs, oopses, bad page states, lockups and stalls.
"""
import re
import sys

TIMESTAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
RESULT = re.compile(r'^(not ok|ok)\s+(\d+)\s*(?:-\s*)?(.*?)\s*(?:#\s*(.*))?$')
PLAN = re.compile(r'^1\.\.(\d+)')
SUBTEST = re.compile(r'^#\s*Subtest:\s*(.*)$')

# Kernel messages that fail a run wherever they appear.
BAD_LOG = re.compile(
    r'WARNING: |\bBUG: |kernel BUG at|Oops|Bad page state|soft lockup|hard LOCKUP|'
    r'rcu_sched self-detected stall|rcu: INFO:|blocked for more than|Kernel panic|'
    r'general protection fault|UBSAN:|KASAN:|Call Trace:')


def lines_of(text):
    """Lines without carriage returns and printk timestamps."""
    for line in text.replace('\r', '').split('\n'):
        yield TIMESTAMP.sub('', line)


class Frame:
    def __init__(self, name):
        self.name, self.plan, self.seen, self.failed = name, None, 0, False


def parse(text, source):
    """Yield (status, path, detail) for the leaf tests of the KTAP in text."""
    frames = {}                   # indent -> Frame of the (sub)test level
    started = False
    results = []
    # A guest that kexecs logs a second kernel's KUnit run: a new top-level
    # header after results.  Its results are named "<source> (boot 2)".
    base, boot = source, 1

    def close_deeper(indent):
        """Close the levels below indent; return (had results, any failed)."""
        seen = failed = False
        for d in sorted(k for k in frames if k > indent):
            f = frames.pop(d)
            if f.plan is not None and f.seen < f.plan:
                results.append(('not ok', path_at(d, f.name), 'missing results: plan %d, got %d'
                                % (f.plan, f.seen)))
                failed = True
            seen = seen or f.seen > 0
            failed = failed or f.failed
        return seen, failed

    def path_at(indent, leaf=None):
        names = [source] + [frames[d].name for d in sorted(frames) if d < indent and frames[d].name]
        if indent in frames and frames[indent].name:
            names.append(frames[indent].name)
        if leaf:
            names.append(leaf)
        return ': '.join(names)

    for raw in lines_of(text):
        stripped = raw.lstrip(' ')
        indent = len(raw) - len(stripped)
        if re.match(r'^(K?TAP version \d+)', stripped):
            if indent == 0 and started and results:
                close_deeper(-1)
                frames.clear()
                boot += 1
                source = '%s (boot %d)' % (base, boot)
            started = True
            if indent == 0:
                close_deeper(-1)
            frames.setdefault(indent, Frame(None))
            continue
        if not started:
            continue
        m = SUBTEST.match(stripped)
        if m:
            close_deeper(indent - 1)
            frames[indent] = Frame(m.group(1))
            continue
        m = PLAN.match(stripped)
        if m:
            frames.setdefault(indent, Frame(None)).plan = int(m.group(1))
            continue
        m = RESULT.match(stripped)
        if not m:
            continue
        ok, name, directive = m.group(1), m.group(3), (m.group(4) or '')
        had_children, child_failed = close_deeper(indent)
        frame = frames.setdefault(indent, Frame(None))
        frame.seen += 1
        skip = directive.upper().startswith(('SKIP', 'TODO'))
        status = 'skip' if skip else ok
        if had_children:
            # A suite's own line: count it only if it fails on its own.
            if status == 'not ok' and not child_failed:
                results.append(('not ok', path_at(indent, name), directive or 'failed'))
                frame.failed = True
            elif child_failed:
                frame.failed = True
            continue
        if status == 'not ok':
            frame.failed = True
        results.append((status, path_at(indent, name), directive))
    close_deeper(-1)
    return started, results


OOM_START = re.compile(r'invoked oom-killer: ')
OOM_END = re.compile(r'Out of memory: Killed process|Out of memory and no killable processes')


# A scenario that crashes into a kdump kernel on purpose (KDUMP=1): the panic
# report, from LKDTM's message to the kdump kernel's banner, is expected.
KDUMP_START = re.compile(r'lkdtm: Performing direct entry PANIC')
KDUMP_END = re.compile(r'Linux version ')


def check_log(console, allow_oom=False, allow_kdump=False):
    """Kernel messages that fail the run.

    With allow_oom, the stack trace that an OOM-kill report prints (between
    "invoked oom-killer" and "Out of memory: Killed process") is expected;
    anything else in the report still counts.
    """
    bad = []
    in_oom = in_kdump = False
    for line in lines_of(console):
        if allow_kdump and KDUMP_START.search(line):
            in_kdump = True
        elif in_kdump and KDUMP_END.search(line):
            in_kdump = False
        if in_kdump:
            continue
        if allow_oom and OOM_START.search(line):
            in_oom = True
        elif in_oom and OOM_END.search(line):
            in_oom = False
        if in_oom and 'Call Trace:' in line and not BAD_LOG.search(line.replace('Call Trace:', '')):
            continue
        if BAD_LOG.search(line):
            bad.append(line.strip())
    return bad


# One line per kernel report (the rest of a report, like its trace, follows it).
REPORT = re.compile(r'WARNING: |\bBUG: |kernel BUG at|Oops|Bad page state|soft lockup|hard LOCKUP|'
                    r'rcu: INFO:|blocked for more than|Kernel panic|general protection fault')


def check(name, console, guest, timed_out, expect_warn=None, allow_oom=False,
          allow_kdump=False):
    out = []
    started, kunit = parse(console, name + ': kunit')
    if not started:
        out.append(('not ok', name + ': kunit', 'no KUnit output in the kernel log'))
    out += kunit
    started, tests = parse(guest, name + ': guest')
    if not started:
        out.append(('not ok', name + ': guest', 'no guest test results (did the guest reach /init?)'))
    out += tests
    if '# cocotest: done' not in guest:
        out.append(('not ok', name + ': guest finished',
                    'timed out' if timed_out else 'the guest stopped before its tests ended'))
    else:
        out.append(('ok', name + ': guest finished', ''))
    bad = check_log(console, allow_oom, allow_kdump)
    if expect_warn:
        # Exactly one report, and it is the expected one.
        reports = [l for l in lines_of(console) if REPORT.search(l)]
        found = expect_warn in console
        ok = found and len(reports) == 1 and 'WARNING: ' in reports[0]
        out.append(('ok' if ok else 'not ok', name + ': the kernel reports "%s"' % expect_warn,
                    '' if ok else '%s; reports: %s' % ('found' if found else 'not found',
                                                        '; '.join(reports[:3]))))
        return out
    out.append(('not ok' if bad else 'ok', name + ': kernel log clean',
                '; '.join(bad[:3]) + (' ...' if len(bad) > 3 else '')))
    return out


def negative_control(name, results):
    """The harness scenario passes only if the deliberate problems were caught."""
    failed = [r for r in results if r[0] == 'not ok']
    caught_test = any('deliberate failure' in r[1] for r in failed)
    caught_warn = any(r[1].endswith('kernel log clean') and 'WARNING:' in r[2] for r in failed)
    others = [r for r in failed
              if 'deliberate failure' not in r[1] and not r[1].endswith('kernel log clean')
              and not r[1].endswith(': guest: provoke_failures')]
    out = [('ok' if caught_test else 'not ok', name + ': a failing guest test fails the run', ''),
           ('ok' if caught_warn else 'not ok', name + ': a kernel WARN fails the run', '')]
    out += [('not ok', r[1], 'unexpected failure: ' + r[2]) for r in others]
    return out


def write(results, path):
    f = open(path, 'w') if path != '-' else sys.stdout
    for status, name, detail in results:
        f.write('%s\t%s\t%s\n' % (status, name, detail.replace('\t', ' ')))
    if f is not sys.stdout:
        f.close()


def second_runs(results):
    """The results of tests that were run again after failing (compare): never a
    pass (a pass here is a line of ktap.py's own selftest that quotes one)."""
    return [r for r in results if r[0] != 'ok' and ', first run: ' in r[2]]


def summary(paths):
    results = []
    for p in paths:
        with open(p) as f:
            results += [line.rstrip('\n').split('\t', 2) for line in f if line.strip()]
    print('KTAP version 1')
    print('1..%d' % len(results))
    counts = {'ok': 0, 'not ok': 0, 'skip': 0}
    for i, (status, name, detail) in enumerate(results, 1):
        counts[status] += 1
        if status == 'skip':
            print('ok %d %s # SKIP %s' % (i, name, detail))
        else:
            print('%s %d %s%s' % (status, i, name, ' # ' + detail if detail else ''))
    # A peer test that passed only when run again (compare) is a skip, and
    # is listed, so that a race the series might have made is not lost.
    again = second_runs(results)
    if again:
        print('# RUN AGAIN:')
        for status, name, detail in again:
            print('#   %s: %s' % (name, detail))
    failed = [r for r in results if r[0] == 'not ok']
    if failed:
        print('# FAILED:')
        for status, name, detail in failed:
            print('#   %s%s' % (name, ': ' + detail if detail else ''))
    print('%d passed, %d failed, %d skipped' % (counts['ok'], counts['not ok'], counts['skip']))
    return 1 if failed or not results else 0


SELFTEST_CASES = [
    # (name, text, expected list of statuses)
    ('nested suites: leaves count, suite lines do not',
     'TAP version 14\n1..1\n    # Subtest: s\n    1..2\n    ok 1 - a\n    ok 2 - b\nok 1 - s\n',
     ['ok', 'ok']),
    ('parameterised test: each parameter is a leaf',
     'KTAP version 1\n1..1\n    # Subtest: s\n    1..1\n        ok 1 - p1\n'
     '        not ok 2 - p2\n    not ok 1 - t\nnot ok 1 - s\n',
     ['ok', 'not ok']),
    ('a plan with results missing fails',
     'KTAP version 1\n1..3\nok 1 a\nok 2 b\n',
     ['ok', 'ok', 'not ok']),
    ('a suite that crashed half way fails',
     'TAP version 14\n1..2\n    # Subtest: s\n    1..3\n    ok 1 - a\n[  1.0] BUG: oops\n',
     ['ok', 'not ok', 'not ok']),
    ('skips are skips, not passes',
     'KTAP version 1\n1..2\nok 1 a # SKIP no hardware\nnot ok 2 b # TODO later\n',
     ['skip', 'skip']),
    ('a suite failing with no failed test fails once',
     'KTAP version 1\n1..1\n    # Subtest: s\n    1..1\n    ok 1 a\nnot ok 1 s\n',
     ['ok', 'not ok']),
    ("a second kernel's run (kexec) is counted on its own, plan included",
     'KTAP version 1\n1..1\nok 1 a\nKTAP version 1\n1..2\nok 1 a\n',
     ['ok', 'ok', 'not ok']),
    ('timestamps and CRs are ignored',
     '[    1.5] TAP version 14\r\n[    1.5] 1..1\r\n[    1.6] ok 1 - x\r\n',
     ['ok']),
]


def selftest():
    out = []
    for name, text, want in SELFTEST_CASES:
        _, got = parse(text, 't')
        got = [r[0] for r in got]
        out.append(('ok' if got == want else 'not ok', 'ktap parser: ' + name,
                    '' if got == want else 'got %s, want %s' % (got, want)))
    _, got = parse('KTAP version 1\n1..1\nok 1 a\nKTAP version 1\n1..1\nok 1 a\n', 't')
    names = [r[1] for r in got]
    out.append(('ok' if names == ['t: a', 't (boot 2): a'] else 'not ok',
                "ktap parser: a second kernel's results are named apart", str(names)))
    bad = check_log('[ 2.0] WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x1/0x2\n')
    out.append(('ok' if bad else 'not ok', 'ktap parser: a WARN in the kernel log is found', ''))
    bad = check_log('[ 2.0] ACPI: Warning in table\nok 1 - BUG_ON_test\n')
    out.append(('not ok' if bad else 'ok', 'ktap parser: ordinary lines are not flagged',
                '; '.join(bad)))
    oom = ('[ 3.0] t invoked oom-killer: gfp_mask=0x0\n[ 3.0] Call Trace:\n'
           '[ 3.1] Out of memory: Killed process 9 (t)\n')
    out.append(('ok' if check_log(oom) else 'not ok',
                'ktap parser: an OOM report fails a scenario that does not expect one', ''))
    bad = check_log(oom, allow_oom=True)
    out.append(('not ok' if bad else 'ok',
                'ktap parser: an expected OOM report is not a failure', '; '.join(bad)))
    crash = ('[ 5.0] lkdtm: Performing direct entry PANIC\n[ 5.0] Kernel panic - not syncing: '
             'dumptest\n[ 5.0] Call Trace:\n[ 0.0] Linux version 6.1\n')
    bad = check_log(crash, allow_kdump=True)
    out.append(('not ok' if bad else 'ok',
                'ktap parser: the planted panic of a kdump scenario is not a failure', '; '.join(bad)))
    bad = check_log(crash + '[ 1.0] WARNING: CPU: 0 PID: 1 at x.c:1\n', allow_kdump=True)
    out.append(('ok' if bad else 'not ok',
                "ktap parser: a WARN in the kdump kernel still fails", ''))
    bad = check_log(oom + '[ 4.0] Call Trace:\n', allow_oom=True)
    out.append(('ok' if bad else 'not ok',
                'ktap parser: a trace after an expected OOM report still fails', ''))
    res = check('t', 'TAP version 14\n1..0\n', 'KTAP version 1\n1..1\n', True)
    out.append(('ok' if any(r[0] == 'not ok' and 'timed out' in r[2] for r in res) else 'not ok',
                'ktap parser: a timed-out guest fails', ''))
    ref = vmtests('    # vmtest: PASS ./a\n    # vmtest: FAIL ./b -x\n    # vmtest: SKIP ./c\n')
    same = compare('n', ref, 'l', dict(ref))
    out.append(('ok' if [r[0] for r in same] == ['ok', 'skip', 'skip'] else 'not ok',
                'ktap compare: the same results pass or skip', str(same)))
    worse = compare('n', ref, 'l', {'./a': 'FAIL', './b -x': 'FAIL', './c': 'SKIP'})
    out.append(('ok' if [r[0] for r in worse] == ['not ok', 'skip', 'skip'] else 'not ok',
                'ktap compare: a test that passes only with nothing unaccepted fails', str(worse)))
    lost = compare('n', ref, 'l', {'./a': 'PASS', './c': 'SKIP'})
    out.append(('ok' if [r[0] for r in lost] == ['ok', 'not ok', 'skip'] else 'not ok',
                'ktap compare: a test missing from one run fails', str(lost)))
    guest = ('    # vmtest: PASS ./a\n    # vmtest-rerun: ./a :: exit status 1 (boom); '
             'running it again, run 2 of at most 8; 3 runs in all\n'
             '    # vmtest: FAIL ./b -x\n    # vmtest-rerun: ./b -x :: exit status 1 (bang); running it again\n'
             '    # vmtest-why: ./b -x :: bang\n    # vmtest: SKIP ./c\n')
    twice = compare('n', ref, 'l', vmtests(guest), {}, vmnotes(guest))
    out.append(('ok' if [r[0] for r in twice] == ['skip', 'skip', 'skip'] and 'boom' in twice[0][2]
                and 'bang' in twice[1][2] else 'not ok',
                'ktap compare: a pass on a second run is a skip, and the first failure is said',
                str(twice)))
    listed = second_runs(twice + same + [('ok', 'x', 'quotes "l, first run: "')])
    out.append(('ok' if [r[1] for r in listed] == ['n vs l: ./a', 'n vs l: ./b -x'] else 'not ok',
                'ktap summary: the tests run again are listed, and only they', str(listed)))
    worse = compare('n', ref, 'l', {'./a': 'FAIL', './b -x': 'FAIL', './c': 'SKIP'}, {},
                    vmnotes('# vmtest-why: ./a :: err: memory corruption\n'))
    out.append(('ok' if worse[0][0] == 'not ok' and 'memory corruption' in worse[0][2] else 'not ok',
                'ktap compare: a difference says why the test failed', str(worse)))
    return out


VMTEST = re.compile(r'#\s*vmtest:\s*(PASS|SKIP|FAIL)\s+(.*?)\s*$')
VMNOTE = re.compile(r'#\s*vmtest-(rerun|why):\s*(.*?)\s+::\s+(.*?)\s*$')


def vmtests(guest):
    """{test: PASS|SKIP|FAIL} from the "# vmtest:" lines of a guest's KTAP."""
    res = {}
    for line in lines_of(guest):
        m = VMTEST.search(line)
        if m:
            res[m.group(2)] = m.group(1)
    return res


def vmnotes(guest):
    """{(rerun|why, test): text} from the "# vmtest-rerun:" and "# vmtest-why:"
    lines: a test that failed once and was run again, the last line a failed
    test printed (tests/guest/vm_selftests.sh)."""
    return {(m.group(1), m.group(2)): m.group(3)
            for m in map(VMNOTE.search, lines_of(guest)) if m}


def compare(name, ref, other_name, other, ref_notes=None, other_notes=None):
    """Results of the peer suite in other against ref (nothing unaccepted).

    A test must end the same way in both.  One that passes in both is a
    pass; one that skips or fails in both (the config or the machine, not
    the series: the reference run has nothing unaccepted) is a skip with
    that reason; any difference is a failure.  The notes (vmnotes()) say
    why: a failure's last line, a first failure that a later run did not
    repeat.  The last run's result is the one compared, but a test that
    passes only when run again is a skip, not a pass.
    """
    def why(test):
        said = []
        for run, notes in ((name, ref_notes or {}), (other_name, other_notes or {})):
            if ('why', test) in notes:
                said.append('%s: %s' % (run, notes[('why', test)]))
            if ('rerun', test) in notes:
                said.append('%s, first run: %s' % (run, notes[('rerun', test)]))
        return ' [%s]' % '; '.join(said) if said else ''

    out = []
    what = '%s vs %s' % (name, other_name)
    if not ref or not other:
        return [('not ok', what + ': results', 'no "# vmtest:" result in %s'
                 % (name if not ref else other_name))]
    for test in list(ref) + [t for t in other if t not in ref]:
        a, b = ref.get(test, 'missing'), other.get(test, 'missing')
        path = '%s: %s' % (what, test)
        if a != b:
            out.append(('not ok', path, '%s in %s, %s in %s%s' % (a, name, b, other_name, why(test))))
        elif a == 'PASS' and (('rerun', test) in (ref_notes or {}) or
                              ('rerun', test) in (other_notes or {})):
            # Inconclusive: a skip, never a pass (summary() lists it).
            out.append(('skip', path, 'passes in both, but only when run again' + why(test)))
        elif a == 'PASS':
            out.append(('ok', path, 'passes in both'))
        elif a == 'SKIP':
            out.append(('skip', path, 'skips in both (kernel config or machine)' + why(test)))
        else:
            out.append(('skip', path, 'fails in both: with nothing unaccepted too' + why(test)))
    return out


def main(argv):
    if len(argv) >= 3 and argv[0] == 'check':
        name, outdir = argv[1], argv[2]
        console = open(outdir + '/console.log', errors='replace').read()
        try:
            guest = open(outdir + '/guest.ktap', errors='replace').read()
        except FileNotFoundError:
            guest = ''
        expect = argv[argv.index('--expect-warn') + 1] if '--expect-warn' in argv else None
        res = check(name, console, guest, '--timed-out' in argv, expect, '--allow-oom' in argv,
                    '--allow-kdump' in argv)
        if '--negative-control' in argv:
            res = negative_control(name, res)
        write(res, outdir + '/results')
        return 0
    if len(argv) == 5 and argv[0] == 'compare':
        def load(d):
            try:
                return open(d + '/guest.ktap', errors='replace').read()
            except FileNotFoundError:
                return ''
        ref, other = load(argv[2]), load(argv[4])
        res = compare(argv[1], vmtests(ref), argv[3], vmtests(other), vmnotes(ref), vmnotes(other))
        with open(argv[2] + '/results', 'a') as f:
            for status, path, detail in res:
                f.write('%s\t%s\t%s\n' % (status, path, detail))
        return 0
    if argv and argv[0] == 'summary':
        return summary(argv[1:])
    if argv and argv[0] == 'selftest':
        write(selftest(), argv[1] if len(argv) > 1 else '-')
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
