"""An independent reading of allot's rules, from README.md and docs/*.md only (not from allot's code).

evaluate()      eligibility, exact amounts (fen) and scores (10^-4 points) of every entry
refusal()       the documented validation errors a generated scenario can run into (exit 2)
best_portfolio  the optimum under the three-level tie-break, by exhaustive search
rank_and_cut()  the documented manual baseline
payments()      what each funded pair is paid (pro-rata pools scale and round down)

Money is kept as Fractions of yuan in the model and as integer fen in candidates; scores as
integer counts of 10^-4 points, as the docs say the solver does.
"""
import math
from fractions import Fraction as F

MAX_AMOUNT = F(10 ** 12)  # docs: any amount, and all pools' commitments together, up to 1 万亿元


class NodeLimit(Exception):
    """The exhaustive search gave up: the case is too large to settle exactly."""


def round_half_away(x, unit):
    """Round x to a multiple of unit, half away from zero: docs/scenario-format.md says "half up"
    is in magnitude (-0.00005 is -0.0001), as for money."""
    q = x / unit
    n = math.floor(abs(q) + F(1, 2))
    return (n if q >= 0 else -n) * unit


def to_fen(yuan):
    fen = yuan * 100
    assert fen.denominator == 1, yuan
    return int(fen)


def attribute(project, name):
    if name in ('industry', 'enterprise', 'jurisdiction'):
        return project.get(name, '')
    return project.get('attributes', {}).get(name, '')


def qualifying_score(m, r):
    """The qualifying score of round r in points (a Fraction), or None: the round's own
    `min_score`, else the scenario's."""
    return r.get('elig', {}).get('min_score', m.get('min_score'))


def evaluate(m):
    """Returns (cands, entries).
    cands: the candidates {pid, rid, score, amount}, in tie-break order (project id, round file order).
    entries: (pid, rid) -> (eligible, amount in fen, score or None) for every entry; the score is
    None where a condition other than the qualifying score fails (the score needs the
    normalization set, which is taken over the entries passing those)."""
    criteria = m['criteria']
    weight_sum = sum(c['w'] for c in criteria)
    projects = {p['id']: p for p in m['projects']}
    round_index = {r['id']: i for i, r in enumerate(m['rounds'])}
    entries = {}
    cands = []
    for r in m['rounds']:
        elig = r.get('elig', {})
        sub = r['subsidy']
        passes = {}  # pid -> (passes every condition but the qualifying score, amount)
        for p in m['projects']:
            if r['id'] not in p['rounds']:
                continue
            ok = True
            if 'jurisdictions' in elig and p.get('jurisdiction', '') not in elig['jurisdictions']:
                ok = False
            if 'industries' in elig and p.get('industry', '') not in elig['industries']:
                ok = False
            if any(f not in p['flags'] for f in elig.get('require_flags', [])):
                ok = False
            if any(f in p['flags'] for f in elig.get('exclude_flags', [])):
                ok = False
            investment = sum((p['inv'].get(k, F(0)) for k in sub.get('investment', ['equipment', 'technology', 'software'])), F(0))
            if 'min_investment' in elig and investment < elig['min_investment']:
                ok = False
            if 'rate' in sub:
                uplifts = [u['rate'] for u in sub.get('uplifts', []) if u['flag'] in p['flags']]
                if sub.get('stacking', 'max') == 'sum':
                    uplift = sum(uplifts, F(0))
                else:
                    uplift = max(uplifts, default=F(0))
                raw = (sub['rate'] + uplift) * investment
            else:
                raw = sub['fixed']
            if 'cap' in sub:
                raw = min(raw, sub['cap'])  # the cap is compared with the exact product, before rounding
            amount = to_fen(round_half_away(raw, F(1) if sub.get('rounding', 'yuan') == 'yuan' else F(1, 100)))
            if amount == 0:
                ok = False
            if any(c['id'] not in p['scores'] for c in criteria):
                ok = False
            passes[p['id']] = (ok, amount)
        normalization_set = [pid for pid, (ok, _) in passes.items() if ok]
        points = {pid: F(0) for pid in normalization_set}
        for c in criteria:
            values = {pid: projects[pid]['scores'][c['id']] for pid in normalization_set}
            cost = c.get('direction') == 'cost'
            for pid, v in values.items():
                if c.get('norm', 'as_is') == 'as_is':
                    pt = (100 - v) if cost else v
                elif c['norm'] == 'min_max':
                    lo, hi = min(values.values()), max(values.values())
                    if lo == hi:
                        pt = F(100)
                    else:
                        pt = 100 * ((hi - v) if cost else (v - lo)) / (hi - lo)
                else:  # rank: tied entrants share the better rank
                    n = len(values)
                    better = sum(1 for w in values.values() if (w < v if cost else w > v))
                    pt = F(100) if n == 1 else F(100) * (n - 1 - better) / (n - 1)
                points[pid] += c['w'] / weight_sum * pt
        min_score = qualifying_score(m, r)
        for pid, (ok, amount) in passes.items():
            if not ok:
                entries[(pid, r['id'])] = (False, amount, None)
                continue
            bonus = sum((b['points'] for b in m.get('bonus', []) if b['flag'] in projects[pid]['flags']), F(0))
            score = round_half_away(points[pid] + bonus, F(1, 10000))
            units = int(score * 10000)
            # the qualifying score is compared with the rounded score
            if min_score is not None and score < min_score:
                entries[(pid, r['id'])] = (False, amount, units)
                continue
            entries[(pid, r['id'])] = (True, amount, units)
            cands.append({'pid': pid, 'rid': r['id'], 'score': units, 'amount': amount})
    cands.sort(key=lambda c: (c['pid'], round_index[c['rid']]))
    return cands, entries


def dependencies_contradict(m):
    """docs (Validation): a project that requires, directly or through a chain of requires, two
    projects that exclude each other (itself included) can never be funded: exit 2."""
    requires = {}
    excluded_pairs = set()
    for d in m['committee'].get('dependencies', []):
        if d['project'] == d['other']:
            return True
        if d['kind'] == 'requires':
            requires.setdefault(d['project'], set()).add(d['other'])
        else:
            excluded_pairs.add(frozenset((d['project'], d['other'])))
    for p in m['projects']:
        closure = {p['id']}
        stack = [p['id']]
        while stack:
            for other in requires.get(stack.pop(), ()):
                if other not in closure:
                    closure.add(other)
                    stack.append(other)
        if any(pair <= closure for pair in excluded_pairs):
            return True
    return False


def refusal(m):
    """Why allot must refuse the scenario (exit 2), for the validation rules a generated scenario
    or what-if can break; None when it is valid."""
    amounts = [q['budget'] for q in m['pools']] + [r['min_amount'] for r in m['rounds'] if r.get('min_amount') is not None]
    if any(a > MAX_AMOUNT for a in amounts):
        return 'an amount above 1 万亿元'
    if sum((q['budget'] / (q['phi'] or 1) for q in m['pools']), F(0)) > MAX_AMOUNT:
        return 'the pools together commit more than 1 万亿元'
    if any(r.get('min_projects') and r['min_projects'] > r['max_projects'] for r in m['rounds']):
        return 'min_projects above max_projects'
    if sum(c['w'] for c in m['criteria']) == 0:
        return 'weights summing to 0'
    if dependencies_contradict(m):
        return 'contradictory dependencies'
    return None


def capacity_fen(pool):
    """What a pool may commit, in fen: its budget, or budget / φ in pro-rata mode."""
    return (pool['budget'] / pool['phi'] if pool.get('phi') else pool['budget']) * 100


class Rules:
    """The committee's decisions and the rows of the program, indexed for the searches below."""

    def __init__(self, m, cands):
        self.m = m
        self.cands = cands
        self.rounds = {r['id']: r for r in m['rounds']}
        self.projects = {p['id']: p for p in m['projects']}
        self.capacity = {q['id']: capacity_fen(q) for q in m['pools']}
        com = m.get('committee', {})
        self.locks = set((l['project'], l['round']) for l in com.get('must_fund', []))
        self.excluded = set(com.get('exclude', []))
        self.requires = [(d['project'], d['other']) for d in com.get('dependencies', []) if d['kind'] == 'requires']
        self.excludes = [(d['project'], d['other']) for d in com.get('dependencies', []) if d['kind'] == 'excludes']
        self.enterprise_limit = com.get('enterprise_limit')
        self.priority = m.get('priority')
        # each candidate's group-limit keys: (round, attribute, value) -> max
        self.groups = [[((c['rid'], g['attribute'], attribute(self.projects[c['pid']], g['attribute'])), g['max'])
                        for g in self.rounds[c['rid']].get('group_limits', [])] for c in cands]

    def enterprise(self, c):
        return self.projects[c['pid']].get('enterprise', '')

    def floors_met(self, count, money, rid):
        r = self.rounds[rid]
        return count.get(rid, 0) >= (r.get('min_projects') or 0) and money.get(rid, 0) >= (r.get('min_amount') or 0) * 100

    def feasible(self, chosen):
        """Whether the set of candidate indices meets every row of the program."""
        selected = [self.cands[i] for i in chosen]
        if not self.locks <= set((c['pid'], c['rid']) for c in selected):
            return False
        funded = [c['pid'] for c in selected]
        if len(set(funded)) != len(funded) or set(funded) & self.excluded:
            return False
        funded = set(funded)
        count, money, pool_money, group_count, enterprise_count = {}, {}, {}, {}, {}
        for i in chosen:
            c = self.cands[i]
            count[c['rid']] = count.get(c['rid'], 0) + 1
            money[c['rid']] = money.get(c['rid'], 0) + c['amount']
            pool = self.rounds[c['rid']]['pool']
            pool_money[pool] = pool_money.get(pool, 0) + c['amount']
            for key, most in self.groups[i]:
                group_count[key] = group_count.get(key, 0) + 1
                if group_count[key] > most:
                    return False
            e = self.enterprise(c)
            enterprise_count[e] = enterprise_count.get(e, 0) + 1
            if self.enterprise_limit is not None and enterprise_count[e] > self.enterprise_limit:
                return False
        for rid, r in self.rounds.items():
            if count.get(rid, 0) > r['max_projects'] or not self.floors_met(count, money, rid):
                return False
        if any(v > self.capacity[q] for q, v in pool_money.items()):
            return False
        if any(a in funded and b not in funded for a, b in self.requires):
            return False
        return not any(a in funded and b in funded for a, b in self.excludes)

    def fits_counts(self, i, funded, count, group_count, enterprise_count):
        """Whether candidate i can join a partial portfolio (`funded`: its projects; the other
        arguments: its counts per round, per group-limit key and per enterprise) under the rows
        that count rather than weigh money: one award per project, the committee's exclusions,
        the round's size, its group limits, the enterprise limit and "excludes". The pools'
        money, the floors and "requires" are the caller's: the search, the baseline and
        explain.py's enumeration each check them at a different time."""
        c = self.cands[i]
        pid = c['pid']
        return (pid not in funded and pid not in self.excluded
                and count.get(c['rid'], 0) < self.rounds[c['rid']]['max_projects']
                and all(group_count.get(key, 0) < most for key, most in self.groups[i])
                and (self.enterprise_limit is None
                     or enterprise_count.get(self.enterprise(c), 0) < self.enterprise_limit)
                and not any((pid == a and b in funded) or (pid == b and a in funded) for a, b in self.excludes))

    def key(self, chosen):
        """The objective as a tuple that compares like the docs' tie-break: round priority's
        levels, the total score, the least amount, then the earliest differing candidate funded."""
        n = len(self.cands)
        levels = [sum(self.cands[i]['score'] for i in chosen if self.cands[i]['rid'] == rid) for rid in self.priority or []]
        mask = 0
        for i in chosen:
            mask |= 1 << (n - 1 - i)
        return tuple(levels + [sum(self.cands[i]['score'] for i in chosen),
                               -sum(self.cands[i]['amount'] for i in chosen), mask])


def best_portfolio(m, cands, node_limit=5_000_000):
    """The optimum by depth-first search over every candidate with exact pruning.
    Returns (key, chosen indices), or None when no portfolio meets every row.
    Raises NodeLimit past node_limit search nodes."""
    rules = Rules(m, cands)
    n = len(cands)
    index = {(c['pid'], c['rid']): i for i, c in enumerate(cands)}
    for lock in rules.locks:
        if lock not in index or lock[0] in rules.excluded:
            return None
    locked = set(index[l] for l in rules.locks)
    rounds = rules.rounds
    # suffix sums per round (from candidate i on), for the floor and score bounds
    count_left = [dict() for _ in range(n + 1)]
    money_left = [dict() for _ in range(n + 1)]
    scores_left = [dict() for _ in range(n + 1)]  # positive scores, highest first
    for i in range(n - 1, -1, -1):
        c = cands[i]
        count_left[i] = dict(count_left[i + 1])
        count_left[i][c['rid']] = count_left[i].get(c['rid'], 0) + 1
        money_left[i] = dict(money_left[i + 1])
        money_left[i][c['rid']] = money_left[i].get(c['rid'], 0) + c['amount']
        scores_left[i] = dict(scores_left[i + 1])
        if c['score'] > 0:
            scores_left[i][c['rid']] = sorted(scores_left[i].get(c['rid'], []) + [c['score']], reverse=True)

    best = [None, None]
    count, group_count, pool_money, round_money, enterprise_count = {}, {}, {}, {}, {}
    round_score = {}
    funded = set()
    chosen = []
    totals = {'score': 0, 'amount': 0}
    nodes = [0]

    def leaf():
        if not all(rules.floors_met(count, round_money, rid) for rid in rounds):
            return
        if any(a in funded and b not in funded for a, b in rules.requires):
            return
        key = rules.key(chosen)
        if best[0] is None or key > best[0]:
            best[0], best[1] = key, list(chosen)

    def score_bound(i, rid, current):
        slots = rounds[rid]['max_projects'] - count.get(rid, 0)
        return current + sum(scores_left[i].get(rid, [])[:max(0, slots)])

    def search(i):
        nodes[0] += 1
        if nodes[0] > node_limit:
            raise NodeLimit()
        if i == n:
            leaf()
            return
        if best[0] is not None:
            if rules.priority:
                # only the first level is bounded: the others are decided among its optima
                rid = rules.priority[0]
                if score_bound(i, rid, round_score.get(rid, 0)) < best[0][0]:
                    return
            else:
                bound = totals['score'] + sum(score_bound(i, rid, 0) for rid in scores_left[i])
                # amounts are positive: at the best score, a dearer partial portfolio cannot win
                if bound < best[0][0] or (bound == best[0][0] and totals['amount'] > -best[0][1]):
                    return
        for rid, r in rounds.items():
            if (r.get('min_projects') or 0) > count.get(rid, 0) + count_left[i].get(rid, 0):
                return
            if (r.get('min_amount') or 0) * 100 > round_money.get(rid, 0) + money_left[i].get(rid, 0):
                return
        c = cands[i]
        r = rounds[c['rid']]
        pool = r['pool']
        enterprise = rules.enterprise(c)
        fits = (pool_money.get(pool, 0) + c['amount'] <= rules.capacity[pool]
                and rules.fits_counts(i, funded, count, group_count, enterprise_count))
        if fits:
            def add(sign):
                count[c['rid']] = count.get(c['rid'], 0) + sign
                for key, _ in rules.groups[i]:
                    group_count[key] = group_count.get(key, 0) + sign
                pool_money[pool] = pool_money.get(pool, 0) + sign * c['amount']
                round_money[c['rid']] = round_money.get(c['rid'], 0) + sign * c['amount']
                round_score[c['rid']] = round_score.get(c['rid'], 0) + sign * c['score']
                enterprise_count[enterprise] = enterprise_count.get(enterprise, 0) + sign
                totals['score'] += sign * c['score']
                totals['amount'] += sign * c['amount']
            add(1)
            funded.add(c['pid'])
            chosen.append(i)
            search(i + 1)
            chosen.pop()
            funded.discard(c['pid'])
            add(-1)
        if i not in locked:
            search(i + 1)

    search(0)
    return None if best[0] is None else (best[0], best[1])


def local_improvement(m, cands, chosen, max_checks=300_000):
    """For a case too large for best_portfolio: a feasible portfolio better under the tie-break
    one exchange away (add, remove, swap one for one, one for two, two for one), or None."""
    rules = Rules(m, cands)
    current = set(chosen)
    current_key = rules.key(current)
    inside = sorted(current)
    outside = [j for j in range(len(cands)) if j not in current]
    checks = 0

    def better(s):
        nonlocal checks
        checks += 1
        return rules.key(s) > current_key and rules.feasible(s)

    def neighbours():
        for j in outside:
            yield current | {j}
        for i in inside:
            yield current - {i}
        for i in inside:
            for j in outside:
                yield (current - {i}) | {j}
        for i in inside:
            for a in range(len(outside)):
                for b in range(a + 1, len(outside)):
                    yield (current - {i}) | {outside[a], outside[b]}
        for a in range(len(inside)):
            for b in range(a + 1, len(inside)):
                for j in outside:
                    yield (current - {inside[a], inside[b]}) | {j}

    for s in neighbours():
        if checks > max_checks:
            return None
        if better(s):
            return sorted(s)
    return None


def rank_and_cut(m, cands):
    """The manual baseline as docs/scenario-format.md (Rank-and-cut) describes it: the locks
    first, then each round with a floor in rank order until the floor is met, then every round in
    file order in rank order (score down, then amount up, then project id); each candidate is
    funded if it still fits the round size, the group limits, the pool's capacity, the enterprise
    limit, exclusions and dependencies (a requires is met only by a project already funded). A
    lock that cannot be placed first is tried again at its turn. Returns the funded (pid, rid)
    pairs, or None when the result breaks a lock or a floor (no comparison is shown)."""
    rules = Rules(m, cands)
    rounds = rules.rounds
    index = {(c['pid'], c['rid']): i for i, c in enumerate(cands)}
    chosen = []
    funded = set()
    count, round_money, pool_money, group_count, enterprise_count = {}, {}, {}, {}, {}

    def fits(i):
        c = cands[i]
        pool = rounds[c['rid']]['pool']
        return (pool_money.get(pool, 0) + c['amount'] <= rules.capacity[pool]
                and rules.fits_counts(i, funded, count, group_count, enterprise_count)
                and not any(a == c['pid'] and b not in funded for a, b in rules.requires))

    def add(i):
        c = cands[i]
        count[c['rid']] = count.get(c['rid'], 0) + 1
        round_money[c['rid']] = round_money.get(c['rid'], 0) + c['amount']
        pool = rounds[c['rid']]['pool']
        pool_money[pool] = pool_money.get(pool, 0) + c['amount']
        for key, _ in rules.groups[i]:
            group_count[key] = group_count.get(key, 0) + 1
        e = rules.enterprise(c)
        enterprise_count[e] = enterprise_count.get(e, 0) + 1
        funded.add(c['pid'])
        chosen.append((c['pid'], c['rid']))

    if any(lock not in index for lock in rules.locks):
        return None
    for i in sorted(index[lock] for lock in rules.locks):
        if fits(i):
            add(i)

    def ranked(rid):
        return sorted((i for i, c in enumerate(cands) if c['rid'] == rid),
                      key=lambda i: (-cands[i]['score'], cands[i]['amount'], cands[i]['pid']))

    for r in m['rounds']:
        if (r.get('min_projects') or 0) > 0 or (r.get('min_amount') or 0) > 0:
            for i in ranked(r['id']):
                if rules.floors_met(count, round_money, r['id']):
                    break
                if fits(i):
                    add(i)
    for r in m['rounds']:
        for i in ranked(r['id']):
            if fits(i):
                add(i)
    if not rules.locks <= set(chosen):
        return None
    if not all(rules.floors_met(count, round_money, rid) for rid in rounds):
        return None
    return chosen


def payments(m, cands, funded_pairs):
    """(total paid, {(pid, rid): paid}) in yuan: the rule amount, or in a pro-rata pool whose
    funded amounts S exceed its budget B, floor(amount * B / S)."""
    index = {(c['pid'], c['rid']): c for c in cands}
    round_pool = {r['id']: r['pool'] for r in m['rounds']}
    pools = {q['id']: q for q in m['pools']}
    committed = {}
    for pair in funded_pairs:
        pool = round_pool[pair[1]]
        committed[pool] = committed.get(pool, 0) + index[pair]['amount']
    paid = {}
    for pair in funded_pairs:
        pool = pools[round_pool[pair[1]]]
        amount = F(index[pair]['amount'], 100)
        total = F(committed[pool['id']], 100)
        if pool['phi'] is not None and total > pool['budget']:
            paid[pair] = F(math.floor(amount * pool['budget'] / total))
        else:
            paid[pair] = amount
    return sum(paid.values(), F(0)), paid
