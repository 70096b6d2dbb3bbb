"""The binding warnings of `allot solve`, from docs/output-format.md (Warnings) only.

A round's floor (its `min_projects` and `min_amount` together) or a must-fund lock *binds* when
removing that one decision changes the optimal portfolio (under the whole objective and
tie-break); its cost is the best total score without it minus the optimum's total score, which
is 0 when only the tie-break changes and may be negative under round priority. Repeated locks
count once (docs/scenario-format.md), so a lock is a distinct (project, round) pair and removing
it removes every copy. Removing a decision only relaxes the program, so the re-solve is never
infeasible here.

expected_warnings()  the oracle's (kind, round name or (project, round name), cost) multiset
parse_warnings()     the same from allot's stderr (English)
"""
import copy
import re
from collections import Counter
from decimal import Decimal
from fractions import Fraction as F

from oracle import best_portfolio

FLOOR = re.compile(r'^allot: warning: the floor of round (.+?) \((.*)\) binds: (.*)$')
LOCK = re.compile(r'^allot: warning: the must-fund lock of (.+?) in (.+?) binds: (.*)$')
SAME = 'without it the same total score is reached by another portfolio'
HIGHER = re.compile(r'^without it the best total score is (\S+) points higher$')
LOWER = re.compile(r"^without it the optimum's total score is (\S+) points lower$")


def has_floor(r):
    return r.get('min_projects') is not None or r.get('min_amount') is not None


def decisions(m):
    """The decisions a warning may name: ('floor', round id) for each round with a floor, then
    ('lock', (project, round id)) for each distinct must-fund pair."""
    out = [('floor', r['id']) for r in m['rounds'] if has_floor(r)]
    seen = []
    for lock in m.get('committee', {}).get('must_fund', []):
        pair = (lock['project'], lock['round'])
        if pair not in seen:
            seen.append(pair)
    return out + [('lock', pair) for pair in seen]


def without(m, decision):
    """The model with one decision removed."""
    kind, what = decision
    m2 = copy.deepcopy(m)
    if kind == 'floor':
        for r in m2['rounds']:
            if r['id'] == what:
                r.pop('min_projects', None)
                r.pop('min_amount', None)
    else:
        m2['committee']['must_fund'] = [l for l in m2['committee']['must_fund']
                                        if (l['project'], l['round']) != what]
    return m2


def expected_warnings(m, cands, best, node_limit):
    """Counter of (kind, label, cost in points as a Fraction) for every binding decision, given
    the optimum `best` = (key, chosen) of best_portfolio. The label is the round's name for a
    floor, (project, round name) for a lock. Raises oracle.NodeLimit like best_portfolio."""
    key, chosen = best
    names = {r['id']: r['name'] for r in m['rounds']}
    pairs = lambda ch: frozenset((cands[i]['pid'], cands[i]['rid']) for i in ch)  # noqa: E731
    optimum = pairs(chosen)
    out = Counter()
    for decision in decisions(m):
        other = best_portfolio(without(m, decision), cands, node_limit)
        if other is None or pairs(other[1]) == optimum:
            continue
        cost = F(other[0][-3] - key[-3], 10 ** 4)
        kind, what = decision
        label = names[what] if kind == 'floor' else (what[0], names[what[1]])
        out[(kind, label, cost)] += 1
    return out


def parse_cost(tail):
    if tail == SAME:
        return F(0)
    match = HIGHER.match(tail)
    if match:
        return F(Decimal(match.group(1)))
    match = LOWER.match(tail)
    if match:
        return -F(Decimal(match.group(1)))
    raise ValueError(f'unrecognised cost: {tail!r}')


def parse_warnings(stderr):
    """Counter of (kind, label, cost) of allot's binding-floor and binding-lock lines (English);
    other lines are ignored. A line that names a binding decision but whose cost cannot be read
    is returned as (kind, label, 'unreadable: TAIL')."""
    out = Counter()
    for line in stderr.splitlines():
        match = FLOOR.match(line)
        if match:
            kind, label, tail = 'floor', match.group(1), match.group(3)
        else:
            match = LOCK.match(line)
            if not match:
                continue
            kind, label, tail = 'lock', (match.group(1), match.group(2)), match.group(3)
        try:
            cost = parse_cost(tail)
        except (ValueError, ArithmeticError):
            cost = f'unreadable: {tail}'
        out[(kind, label, cost)] += 1
    return out
