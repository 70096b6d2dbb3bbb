"""An independent reading of `allot explain` and `allot reserve`, from docs/explain.md only.

Every answer those commands give is the optimum of a what-if — a project's score moved, one
candidate's amount moved, a pair locked in, funded projects withdrawn — and so is every answer
here, found by brute force instead of a solver:

Explainer           the portfolios of a small scenario, enumerated once, and the optimum of any
                    what-if among them
Explainer.explain() one project: decision, rank, price of inclusion, subsidy and score margins
Explainer.reserve() every round's reserve list and the replacements of each single withdrawal

Why an enumeration rather than oracle.best_portfolio: one score margin is a bisection of some
45 what-ifs, and a what-if changes only a score, an amount, a lock or a withdrawal. The
portfolios meeting the rows none of them changes (one award per project, the committee's
exclusions, round sizes, group limits, the enterprise limit, dependencies, `min_projects`) are
listed once; a what-if then only drops those it rules out (the pools' money, `min_amount`, a
qualifying score, a lock, a withdrawn project) and compares the keys of the rest. Eligibility,
amounts, scores, the rows and the tie-break are oracle.py's, not restated here.

Where docs/explain.md leaves a choice open, the answers follow allot's (README.md in this folder,
"Conventions the explain oracle follows"): no price for a project the committee excluded, and in
a round with a floor on its money (`min_amount` above 0) the subsidy margin `moneyfloor` unless
the project is excluded or the pair itself locked.

Units as in oracle.py: money in integer fen, scores in integer counts of 10^-4 points.
"""
import math
from fractions import Fraction as F

from oracle import Rules, evaluate, qualifying_score

SCORE_RANGE = 10 ** 13  # score units a bisection searches (far above any total score generated)
PORTFOLIO_LIMIT = 300_000  # past this many portfolios the case is left unverified (slow, not wrong)


class TooLarge(Exception):
    """The scenario has more portfolios than the enumeration keeps: the case is not checked."""


class Portfolio:
    """One set of candidates meeting the rows no what-if changes, with its sums."""
    __slots__ = ('members', 'pairs', 'pids', 'pool_money', 'round_money', 'round_score', 'score',
                 'amount', 'mask', 'latent', 'money_ok')

    def __init__(self, explainer, chosen):
        universe, rounds = explainer.universe, explainer.rules.rounds
        self.members = frozenset(chosen)
        self.pairs = frozenset((universe[i]['pid'], universe[i]['rid']) for i in chosen)
        self.pids = frozenset(universe[i]['pid'] for i in chosen)
        self.pool_money, self.round_money, self.round_score = {}, {}, {}
        self.score = self.amount = self.mask = 0
        n = len(universe)
        for i in chosen:
            c = universe[i]
            pool = rounds[c['rid']]['pool']
            self.pool_money[pool] = self.pool_money.get(pool, 0) + c['amount']
            self.round_money[c['rid']] = self.round_money.get(c['rid'], 0) + c['amount']
            self.round_score[c['rid']] = self.round_score.get(c['rid'], 0) + c['score']
            self.score += c['score']
            self.amount += c['amount']
            self.mask |= 1 << (n - 1 - i)  # as in oracle.Rules.key: earlier candidates weigh more
        # a member that is eligible only once its score rises (only a score what-if admits it)
        self.latent = any(not universe[i]['eligible'] for i in chosen)
        self.money_ok = explainer.money_ok(self)


def has_floor(r):
    """docs/scenario-format.md: `min_amount` is a floor on the round's money; 0 is no floor."""
    return (r.get('min_amount') or 0) > 0


class Explainer:
    """The explanation of a small scenario's decisions by enumeration (docs/explain.md).

    The universe is every eligible candidate and every entry that fails only its round's
    qualifying score: a score rise can admit such an entry ("a rise can also admit the project to
    a round whose qualifying score it missed"). Every other entry stays out under every what-if
    asked here: none changes eligibility but through the score."""

    def __init__(self, m):
        self.m = m
        self.cands, self.entries = evaluate(m)
        round_index = {r['id']: i for i, r in enumerate(m['rounds'])}
        universe = [dict(c, eligible=True) for c in self.cands]
        for (pid, rid), (eligible, amount, score) in self.entries.items():
            if not eligible and score is not None:  # only the qualifying score failed
                universe.append({'pid': pid, 'rid': rid, 'score': score, 'amount': amount, 'eligible': False})
        universe.sort(key=lambda c: (c['pid'], round_index[c['rid']]))
        self.universe = universe
        self.index = {(c['pid'], c['rid']): i for i, c in enumerate(universe)}
        self.rules = Rules(m, universe)
        self.priority = m.get('priority') or []
        # the qualifying score in score units (a Fraction), or None
        self.min_score = {r['id']: (None if qualifying_score(m, r) is None else qualifying_score(m, r) * 10000)
                          for r in m['rounds']}
        self.portfolios = [s for s in self.enumerate() if self.rules.locks <= s.pairs]
        self.optimum_key, self.optimum = self.best()

    # ---- the portfolios and the optimum of a what-if ---------------------------------------

    def enumerate(self):
        """Every set of universe candidates meeting the rows that depend neither on amounts nor
        on scores nor on the locks, as Portfolios. Raises TooLarge past PORTFOLIO_LIMIT."""
        rules, universe, n = self.rules, self.universe, len(self.universe)
        rounds = rules.rounds
        left = [dict() for _ in range(n + 1)]  # candidates of each round from i on
        for i in range(n - 1, -1, -1):
            left[i] = dict(left[i + 1])
            left[i][universe[i]['rid']] = left[i].get(universe[i]['rid'], 0) + 1
        found = []
        count, group_count, enterprise_count = {}, {}, {}
        funded = set()
        chosen = []

        def search(i):
            for rid, r in rounds.items():
                if (r.get('min_projects') or 0) > count.get(rid, 0) + left[i].get(rid, 0):
                    return
            if i == n:
                if not any(a in funded and b not in funded for a, b in rules.requires):
                    found.append(Portfolio(self, chosen))
                    if len(found) > PORTFOLIO_LIMIT:
                        raise TooLarge()
                return
            c = universe[i]
            if rules.fits_counts(i, funded, count, group_count, enterprise_count):
                enterprise = rules.enterprise(c)

                def add(sign):
                    count[c['rid']] = count.get(c['rid'], 0) + sign
                    for key, _ in rules.groups[i]:
                        group_count[key] = group_count.get(key, 0) + sign
                    enterprise_count[enterprise] = enterprise_count.get(enterprise, 0) + sign
                add(1)
                funded.add(c['pid'])
                chosen.append(i)
                search(i + 1)
                chosen.pop()
                funded.discard(c['pid'])
                add(-1)
            search(i + 1)

        search(0)
        return found

    def money_ok(self, s, over=None):
        """The rows on money — each pool's capacity, each round's `min_amount` — for portfolio s,
        with candidate over[0]'s amount set to over[1] fen when given."""
        pool_money, round_money = s.pool_money, s.round_money
        if over is not None and over[0] in s.members:
            c = self.universe[over[0]]
            delta = over[1] - c['amount']
            pool = self.rules.rounds[c['rid']]['pool']
            pool_money = {**pool_money, pool: pool_money[pool] + delta}
            round_money = {**round_money, c['rid']: round_money[c['rid']] + delta}
        if any(v > self.rules.capacity[q] for q, v in pool_money.items()):
            return False
        return all((r.get('min_amount') or 0) * 100 <= round_money.get(rid, 0) for rid, r in self.rules.rounds.items())

    def scores_ok(self, s, shift=None):
        """Whether every member of s is eligible on its score, project shift[0]'s moved by shift[1]
        units when given: an entry is eligible at a score that reaches its round's qualifying score."""
        if not s.latent and shift is None:
            return True
        for i in s.members:
            c = self.universe[i]
            if shift is not None and c['pid'] == shift[0]:
                least = self.min_score[c['rid']]
                if least is not None and c['score'] + shift[1] < least:
                    return False
            elif not c['eligible']:
                return False
        return True

    def key(self, s, shift=None, over=None):
        """oracle.Rules.key of portfolio s — round priority's levels, the total score, minus the
        amount, then the mask of the earliest differing candidate — with project shift[0]'s score
        moved by shift[1] units and candidate over[0]'s amount set to over[1] fen, when given."""
        moved_round, delta = None, 0
        if shift is not None and shift[0] in s.pids:
            delta = shift[1]
            moved_round = next(self.universe[i]['rid'] for i in s.members if self.universe[i]['pid'] == shift[0])
        amount = s.amount
        if over is not None and over[0] in s.members:
            amount += over[1] - self.universe[over[0]]['amount']
        levels = [s.round_score.get(rid, 0) + (delta if rid == moved_round else 0) for rid in self.priority]
        return tuple(levels + [s.score + delta, -amount, s.mask])

    def best(self, among=None, locks=frozenset(), exclude=frozenset(), shift=None, over=None):
        """(key, portfolio) of the optimum of a what-if among the portfolios `among` (default:
        all that keep the committee's locks): those that also fund every pair in `locks`, fund no
        project in `exclude`, and meet the money rows and qualifying scores with the score or
        amount moved; (None, None) when none does."""
        best_key, best = None, None
        for s in self.portfolios if among is None else among:
            if locks and not locks <= s.pairs:
                continue
            if exclude and s.pids & exclude:
                continue
            if not self.scores_ok(s, shift):
                continue
            if not (s.money_ok if over is None or over[0] not in s.members else self.money_ok(s, over)):
                continue
            k = self.key(s, shift, over)
            if best_key is None or k > best_key:
                best_key, best = k, s
        return best_key, best

    def change(self, s):
        """(enters, leaves): the pairs s funds that the optimum does not, and the reverse, sorted."""
        return sorted(s.pairs - self.optimum.pairs), sorted(self.optimum.pairs - s.pairs)

    # ---- docs/explain.md, `allot explain` --------------------------------------------------

    def rank_key(self, c):
        """The rank within a round: higher score, then smaller amount, then project id."""
        return (-c['score'], c['amount'], c['pid'])

    def funded_round(self, pid):
        return next((rid for p, rid in self.optimum.pairs if p == pid), None)

    def held_by_lock(self, pid):
        """docs: "held (a committee lock, or a locked project requiring it, keeps it funded)"."""
        locked = {p for p, _ in self.rules.locks}
        return pid in locked or pid in self.required_by(locked)

    def required_by(self, pids):
        """The projects that the projects in `pids` require, directly or through a chain."""
        requires = {}
        for a, b in self.rules.requires:
            requires.setdefault(a, set()).add(b)
        closure, stack = set(), list(pids)
        while stack:
            for other in requires.get(stack.pop(), ()):
                if other not in closure:
                    closure.add(other)
                    stack.append(other)
        return closure

    def requiring(self, pid, funded):
        """The funded projects that require pid, directly or through a chain of funded ones."""
        out, stack = set(), [pid]
        while stack:
            x = stack.pop()
            for a, b in self.rules.requires:
                if b == x and a in funded and a not in out and a != pid:
                    out.add(a)
                    stack.append(a)
        return out

    def money_unit(self):
        """The subsidy margins' resolution in fen (docs: "money in whole yuan (in fen when some
        budget, or some rule amount of an entry — eligible or not — is not whole yuan)")."""
        whole = (all(amount % 100 == 0 for _, amount, _ in self.entries.values())
                 and all(q['budget'].denominator == 1 for q in self.m['pools']))
        return 100 if whole else 1

    def explain(self, pid):
        """What `allot explain PROJECT -f json` says, as plain values:
        {decision, funded_round, rounds: {rid: {...}}, score_margin}. A margin is
        {threshold, enters, leaves} (threshold in units: 10^-4 points, or fen) or {none}; a price,
        given for an unfunded project's eligible rounds, {change: None when no portfolio funds
        the pair, else {total, cost, enters, leaves, priority_round, priority_cost}}."""
        funded_round = self.funded_round(pid)
        entered = [(rid, e) for (p, rid), e in self.entries.items() if p == pid]
        if funded_round is not None:
            decision = 'funded'
        elif any(eligible for _, (eligible, _, _) in entered):
            decision = 'unfunded'
        else:
            decision = 'ineligible'
        excluded = pid in self.rules.excluded
        rounds = {}
        for rid, (eligible, amount, score) in entered:
            d = {'eligible': eligible, 'amount': amount, 'score': score, 'funded': rid == funded_round,
                 'rank': None, 'ranked': None, 'above_line': False, 'price': None, 'subsidy_margin': None}
            if eligible:
                ranked = sorted((c for c in self.cands if c['rid'] == rid), key=self.rank_key)
                mine = next(c for c in ranked if c['pid'] == pid)
                d['rank'], d['ranked'] = ranked.index(mine) + 1, len(ranked)
                funded_here = [c for c in ranked if (c['pid'], rid) in self.optimum.pairs]
                d['above_line'] = (funded_round is None and not excluded
                                   and any(self.rank_key(c) > self.rank_key(mine) for c in funded_here))
                if funded_round is None and not excluded:
                    # allot gives no price for a project the committee excluded (docs/explain.md
                    # reads as {change: null}; the exclusion is what keeps it out)
                    d['price'] = {'change': self.price(pid, rid)}
                if funded_round in (None, rid):
                    d['subsidy_margin'] = self.subsidy_margin(pid, rid)
            rounds[rid] = d
        return {'decision': decision, 'funded_round': funded_round, 'rounds': rounds,
                'score_margin': self.score_margin(pid)}

    def price(self, pid, rid):
        """The price of including an unfunded project's eligible entry: the best portfolio with
        the pair locked in; None when none is feasible."""
        k, s = self.best(locks=frozenset([(pid, rid)]))
        if s is None:
            return None
        enters, leaves = self.change(s)
        out = {'total': s.score, 'cost': self.optimum.score - s.score,
               'enters': [x for x in enters if x != (pid, rid)], 'leaves': leaves,
               'priority_round': None, 'priority_cost': None}
        for j, level in enumerate(self.priority):
            if k[j] < self.optimum_key[j]:  # the first round of the priority that loses
                out['priority_round'], out['priority_cost'] = level, self.optimum_key[j] - k[j]
                break
        return out

    def score_margin(self, pid):
        """docs (Margins): the least rise of the project's score (all its rounds together) that
        funds it, or the least fall that unfunds it, by bisection over score units — exact since
        being funded is monotone in the score (docs, "Why bisection is exact"); a monotonicity
        spot check above the threshold guards that claim."""
        if pid in self.rules.excluded:
            return {'none': 'excluded'}
        if not any(c['pid'] == pid for c in self.universe):
            return {'none': 'ineligible'}
        funded = self.funded_round(pid) is not None
        if funded and self.held_by_lock(pid):
            return {'none': 'held'}
        with_it = [s for s in self.portfolios if pid in s.pids and s.money_ok]
        without_key, _ = self.best(among=[s for s in self.portfolios if pid not in s.pids])

        def funded_at(delta):
            """Funded at a score moved by delta; None when no portfolio is feasible at all."""
            k, _ = self.best(among=with_it, shift=(pid, delta))
            if k is None:
                return None if without_key is None else False
            return without_key is None or k > without_key

        if funded:
            # a what-if no portfolio meets counts as still funded (docs)
            def flips(d):
                return funded_at(-d) is False
        else:
            def flips(d):
                return bool(funded_at(d))
        if not flips(SCORE_RANGE):
            return {'none': 'held' if funded else 'noroom'}
        lo, hi = 0, SCORE_RANGE
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if flips(mid):
                hi = mid
            else:
                lo = mid
        _, s = self.best(shift=(pid, -hi if funded else hi))
        enters, leaves = self.change(s)
        monotone = all(flips(d) for d in (hi + 1, hi + 7, 2 * hi + 3))
        return {'threshold': hi, 'enters': enters, 'leaves': leaves, 'monotone': monotone}

    def subsidy_margin(self, pid, rid):
        """docs (Margins): the largest amount, in the money unit, at which the entry is funded in
        this round (its round's rule set aside), and the portfolio on the other side. Found per
        portfolio funding the pair, not by bisection: such a portfolio s fits while the amount is at
        most its pool's capacity less what its other members there use, and beats W, the best
        portfolio without the pair (which the amount does not change), on the score or on the
        tie-break's amount and mask."""
        if pid in self.rules.excluded:
            return {'none': 'excluded'}
        r = self.rules.rounds[rid]
        i = self.index[(pid, rid)]
        c = self.universe[i]
        funded_here = (pid, rid) in self.optimum.pairs
        unit = self.money_unit()
        w_key, w = self.best(among=[s for s in self.portfolios if i not in s.members])
        if funded_here and w is None and (not has_floor(r) or (pid, rid) in self.rules.locks):
            # no portfolio leaves the pair out: held whatever the amount. In a round with a
            # floor on its money only a lock on the pair itself counts (allot's choice): a pair
            # a locked project's "requires" or the floor holds is "moneyfloor"
            return {'none': 'held'}
        if has_floor(r):
            # docs: a round with a floor on its money gives no subsidy margin ("not given")
            return {'none': 'moneyfloor'}
        pool = r['pool']
        largest = None
        for s in self.portfolios:
            if i not in s.members or s.latent:
                continue
            # the other rows on money hold at the others' amounts (this round has no floor)
            if any(v > self.rules.capacity[q] for q, v in s.pool_money.items() if q != pool):
                continue
            if not all((x.get('min_amount') or 0) * 100 <= s.round_money.get(x_id, 0)
                       for x_id, x in self.rules.rounds.items()):
                continue
            high = self.rules.capacity[pool] - (s.pool_money[pool] - c['amount'])
            if w is not None:
                k = self.key(s)
                if k[:-2] < w_key[:-2]:
                    continue
                if k[:-2] == w_key[:-2]:
                    # a tie on score: s wins while its amount is less than W's, or equal and its
                    # mask is larger
                    limit = w.amount - (s.amount - c['amount'])
                    high = min(high, limit if s.mask > w.mask else limit - 1)
            high = math.floor(F(high) / unit) * unit
            if high >= unit and (largest is None or high > largest):
                largest = high
        if largest is None:
            return {'none': 'notmoney'} if not funded_here else {'none': 'oracle found no amount at all'}
        _, s = self.best(over=(i, largest if not funded_here else largest + unit))
        enters, leaves = self.change(s)
        return {'threshold': largest, 'enters': enters, 'leaves': leaves}

    # ---- docs/explain.md, `allot reserve` --------------------------------------------------

    def reserve(self):
        """{rid: {'withdrawals': {pid: {...}}, 'reserve': [(entrant, after)]}}, as
        docs/explain.md (`allot reserve`) describes: each funded project withdrawn alone, every
        other funded pair locked; and the chain of withdrawals, lowest-ranked first, each
        re-solve locking every remaining decision, earlier entrants included. A withdrawn
        project takes the funded projects requiring it with it; a withdrawal the committee's
        locks forbid is skipped in the chain."""
        base = self.optimum.pairs
        base_pids = {p for p, _ in base}
        out = {}
        for r in self.m['rounds']:
            rid = r['id']
            funded = [c for c in self.cands if (c['pid'], rid) in base and c['rid'] == rid]
            withdrawals = {}
            for c in funded:
                also = self.requiring(c['pid'], base_pids)
                gone = frozenset({c['pid']} | also)
                locks = frozenset(x for x in base if x[0] not in gone)
                _, s = self.best(locks=locks, exclude=gone)
                withdrawals[c['pid']] = {'feasible': s is not None, 'also': sorted(also),
                                         'enters': None if s is None else sorted(s.pairs - locks)}
            chain = []
            current, gone = set(base), frozenset()
            for c in sorted(funded, key=self.rank_key, reverse=True):  # lowest-ranked first
                if self.held_by_lock(c['pid']):
                    continue
                now = gone | {c['pid']} | self.requiring(c['pid'], {p for p, _ in current})
                locks = frozenset(x for x in current if x[0] not in now)
                _, s = self.best(locks=locks, exclude=now)
                if s is None:
                    continue
                gone = now
                entrants = [self.universe[self.index[x]] for x in s.pairs - locks if x[1] == rid]
                chain += [(e['pid'], c['pid']) for e in sorted(entrants, key=self.rank_key)]
                current = set(s.pairs)
            out[rid] = {'withdrawals': withdrawals, 'reserve': chain}
        return out
