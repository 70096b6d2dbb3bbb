"""Fixed malformed inputs and failing runs, each with the exit code the docs give it.

Every case must exit with that code, print nothing on stdout, print one line on stderr starting
with "allot: " and naming the file or flag at fault, and leave the output file as it was
(README.md, Exit codes; docs/output-format.md: "a failed run never leaves a partial file").
"""
import os
import subprocess

INLINE = '''[[pools]]
id = "q"
budget = 1000000
pro_rata_floor = "0.5"
[[rounds]]
id = "r"
pool = "q"
max_projects = 10
[rounds.subsidy]
rate = "0.1"
[scoring]
criteria = [ { id = "a", weight = 1, normalization = "min_max" }, { id = "b", weight = 1, normalization = "rank" } ]
[applications]
[[applications.projects]]
id = "A"
rounds = ["r"]
equipment = 1000
scores = { a = 10, b = 1 }
[[applications.projects]]
id = "B"
rounds = ["r"]
equipment = 0
scores = { a = 0, b = 5 }
[[applications.projects]]
id = "C"
rounds = ["r"]
equipment = 4
scores = { a = 20, b = 3 }
'''

WITH_CSV = '''[[pools]]
id = "q"
budget = 1000
[[rounds]]
id = "r"
pool = "q"
max_projects = 2
[rounds.subsidy]
fixed = 100
[scoring]
criteria = [ { id = "a", weight = 1 }, { id = "b", weight = 1 } ]
[applications]
file = "apps.csv"
'''

SECOND_ROUND = '''[[rounds]]
id = "r"
pool = "q"
max_projects = 1
[rounds.subsidy]
fixed = 5
'''


def replaced(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


# name -> (scenario.toml, apps.csv or None, extra arguments, expected exit code, what the message names)
CASES = {
    'not a number': (replaced(INLINE, 'budget = 1000000', 'budget = "1e6x"'), None, [], 2, 'scenario.toml'),
    'float money': (replaced(INLINE, 'budget = 1000000', 'budget = 100.5'), None, [], 2, 'scenario.toml'),
    'project id twice': (replaced(INLINE, 'id = "B"', 'id = "A"'), None, [], 2, 'scenario.toml'),
    'csv: no criterion column': (WITH_CSV, 'id,rounds,a\nA,r,5\nB,r,6\n', [], 2, 'apps.csv'),
    'csv: extra cell': (WITH_CSV, 'id,rounds,a,b\nA,r,5,1\nB,r,6,2,3\n', [], 2, 'apps.csv'),
    'csv: not a number': (WITH_CSV, 'id,rounds,a,b\nA,r,5,1\nB,r,6O,2\n', [], 2, 'apps.csv'),
    'csv: project id twice': (WITH_CSV, 'id,rounds,a,b\nA,r,5,1\nA,r,6,2\n', [], 2, 'apps.csv'),
    'finer than a fen': (replaced(INLINE, 'budget = 1000000', 'budget = "100.005"'), None, [], 2, 'scenario.toml'),
    'negative amount': (replaced(INLINE, 'equipment = 1000', 'equipment = "-1000"'), None, [], 2, 'scenario.toml'),
    'amount above 1 万亿元': (replaced(INLINE, 'budget = 1000000', 'budget = "1000000000000.01"'), None, [], 2, 'scenario.toml'),
    'csv: missing file': (replaced(WITH_CSV, 'apps.csv', 'nothere.csv'), None, [], 2, 'nothere.csv'),
    'toml syntax': (INLINE + '[[pools\n', None, [], 2, 'scenario.toml'),
    'unknown round': (INLINE.replace('rounds = ["r"]', 'rounds = ["zz"]'), None, [], 2, 'scenario.toml'),
    'csv: empty': (WITH_CSV, '', [], 2, 'apps.csv'),
    'csv: header only': (WITH_CSV, 'id,rounds,a,b\n', [], 2, 'apps.csv'),
    'round id twice': (replaced(INLINE, '[scoring]', SECOND_ROUND + '[scoring]'), None, [], 2, 'scenario.toml'),
    'pools commit above 1 万亿元': (replaced(INLINE, 'budget = 1000000', 'budget = "600000000000"'), None, [], 2, 'scenario.toml'),
    'min_projects above max_projects': (replaced(INLINE, 'max_projects = 10', 'max_projects = 1\nmin_projects = 2'), None, [], 2, 'scenario.toml'),
    'pro_rata_floor 0': (replaced(INLINE, 'pro_rata_floor = "0.5"', 'pro_rata_floor = 0'), None, [], 2, 'scenario.toml'),
    'as_is value above 10,000': (replaced(replaced(INLINE, 'normalization = "min_max"', 'normalization = "as_is"'),
                                          'a = 20, b = 3', 'a = 20000, b = 3'), None, [], 2, 'scenario.toml'),
    '--set unknown key': (INLINE, None, ['--set', 'pools.q.budgett=1'], 2, '--set'),
    '--set float money': (INLINE, None, ['--set', 'pools.q.budget=3.5e7'], 2, '--set'),
    '--weight unknown criterion': (INLINE, None, ['--weight', 'zz=1'], 2, 'zz'),
    '--weight negative': (INLINE, None, ['--weight', 'a=-1'], 2, '--weight'),
    '--lock unknown project': (INLINE, None, ['--lock', 'ZZ'], 2, 'ZZ'),
    '--exclude unknown project': (INLINE, None, ['--exclude', 'ZZ'], 2, 'ZZ'),
    # only A is eligible (B's and C's rule amounts round to 0 yuan): a floor of five is infeasible
    'floor out of reach': (replaced(INLINE, 'max_projects = 10', 'max_projects = 10\nmin_projects = 5'), None, [], 3, 'round r'),
    'output is an input': (INLINE, None, ['-o', '{folder}/scenario.toml'], 2, 'scenario.toml'),
    'output folder missing': (INLINE, None, ['-o', '{folder}/missing/out.json'], 1, 'missing'),
}

OLD_OUTPUT = 'OLD\n'


def check_one(allot, folder, scenario, csv, extra, code, named):
    """The problems found with one case (an empty list when it behaves as documented)."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'scenario.toml'), 'w', encoding='utf-8') as f:
        f.write(scenario)
    if csv is not None:
        with open(os.path.join(folder, 'apps.csv'), 'w', encoding='utf-8') as f:
            f.write(csv)
    extra = [a.replace('{folder}', folder) for a in extra]
    output = extra[extra.index('-o') + 1] if '-o' in extra else os.path.join(folder, 'out.json')
    before = None
    if os.path.isdir(os.path.dirname(output)):
        if not os.path.exists(output):
            with open(output, 'w', encoding='utf-8') as f:
                f.write(OLD_OUTPUT)
        with open(output, encoding='utf-8') as f:
            before = f.read()
    args = [allot, 'solve', folder, '-f', 'json'] + (extra if '-o' in extra else extra + ['-o', output])
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    problems = []
    if result.returncode != code:
        problems.append(f'exit {result.returncode}, expected {code}: {result.stderr.strip()[:200]}')
    if result.stdout:
        problems.append(f'stdout not empty: {result.stdout[:100]!r}')
    lines = result.stderr.splitlines()
    if len(lines) != 1 or not lines[0].startswith('allot: ') or named not in lines[0]:
        problems.append(f'stderr is not one "allot: " line naming {named}: {result.stderr.strip()[:200]!r}')
    if before is None:
        if os.path.exists(output):
            problems.append('an output file was created')
    else:
        with open(output, encoding='utf-8') as f:
            if f.read() != before:
                problems.append('the output file was changed')
    return problems

