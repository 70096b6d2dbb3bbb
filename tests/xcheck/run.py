#!/usr/bin/env python3
"""Cross-check `allot solve` against an independent oracle on random small scenarios, and
`allot explain` / `allot reserve` against an independent explanation oracle (explain.py).

    python3 tests/xcheck/run.py --allot target/release/allot [--count N] [--seed S] [--explain N] [--jobs J] [--keep DIR]

Exit 0 when every case agrees, 1 when any disagrees (or the harness itself failed on one).
See README.md in this folder.
"""
import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from decimal import Decimal
from fractions import Fraction as F

sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from explain import PORTFOLIO_LIMIT, Explainer, TooLarge  # noqa: E402
from generate import SHAPES, make_case  # noqa: E402
from malformed import CASES as MALFORMED, check_one as check_malformed  # noqa: E402
from binding import decisions, expected_warnings, parse_warnings  # noqa: E402
from oracle import (NodeLimit, Rules, best_portfolio, evaluate, local_improvement, payments,  # noqa: E402
                    rank_and_cut, refusal)

EXPLAIN_OFFSET = 500_000  # explain case i of seed S has the seed S·10^6 + EXPLAIN_OFFSET + i
EXPLAIN_COUNT = 64  # explain cases by default (4 per shape): the CI run stays well under 20 s on 2 cores
EXPLAIN_ENTRIES = 12  # (project, round) entries per explain case by default

RUN_TIMEOUT = 600  # seconds; a safety net against a hung run, far above any small case's time
NODE_LIMIT = 5_000_000  # search nodes before the oracle gives up (never reached at 16 entries)


def run_allot(allot, args):
    return subprocess.run([allot] + args, capture_output=True, text=True, timeout=RUN_TIMEOUT)


def units(decimal_string, scale):
    """An exact decimal string as an integer count of 1/scale (scores: 10^4, money: fen)."""
    value = Decimal(decimal_string) * scale
    if value != value.to_integral_value():
        raise ValueError(f'{decimal_string} is not a whole number of 1/{scale}')
    return int(value)


class Case:
    """One random scenario, allot's answers on it, and the problems found."""

    def __init__(self, allot, seed, shape, max_entries, folder):
        self.allot = allot
        self.folder = folder
        self.problems = []
        self.unverified = False
        self.warnings = None  # the binding-warnings check: None (not run) or {'expected': n, 'agreed': bool}
        self.m, self.whatifs, self.whatif_refusal = make_case(seed, shape, max_entries, folder)

    def problem(self, text):
        self.problems.append(text)

    def solve(self, name, extra=()):
        out = os.path.join(self.folder, name)
        result = run_allot(self.allot, ['solve', self.folder, '-f', 'json', '-o', out] + list(extra) + self.whatifs)
        if 'panic' in result.stderr or 'RUST_BACKTRACE' in result.stderr:
            self.problem(f'panic: {result.stderr.strip()[:300]}')
        return result, out

    def expect_failure(self, result, out, code, why):
        """allot must exit with `code`, say why on stderr, and write no output file."""
        if result.returncode != code:
            self.problem(f'expected exit {code} ({why}), got {result.returncode}: {result.stderr.strip()[:200]}')
        elif not result.stderr.startswith('allot: '):
            self.problem(f'exit {code} without an "allot: " message: {result.stderr.strip()[:200]}')
        if os.path.exists(out):
            self.problem(f'output file written on failure (exit {result.returncode})')

    def check(self):
        result, out = self.solve('out.json')
        why = self.whatif_refusal or refusal(self.m)
        if why:
            self.expect_failure(result, out, 2, why)
            return
        cands, entries = evaluate(self.m)
        try:
            best = best_portfolio(self.m, cands, NODE_LIMIT)
        except NodeLimit:
            self.check_without_optimum(result, out, cands)
            return
        if result.returncode == 2:
            self.problem(f'allot refused a valid input (exit 2): {result.stderr.strip()[:300]}')
            return
        if best is None:
            self.expect_failure(result, out, 3, 'the oracle finds no feasible portfolio')
            return
        cert, theirs = self.solved(result, out, cands, 'the oracle finds a portfolio; ')
        if cert is None:
            return
        if self.problems:
            # Candidates differ: still check the optimization, on allot's own candidates.
            round_index = {r['id']: i for i, r in enumerate(self.m['rounds'])}
            cands = sorted(({'pid': p, 'rid': r, 'score': s, 'amount': a} for (p, r), (s, a) in theirs.items()),
                           key=lambda c: (c['pid'], round_index[c['rid']]))
            best = best_portfolio(self.m, cands, NODE_LIMIT)
            if best is None:
                self.problem('on allot\'s candidates the oracle finds no portfolio, but allot solved')
                return
        self.compare_optimum(cert, cands, best)
        self.compare_check(entries)
        if not self.problems:
            self.check_time_limit(cands, best)
        if not self.problems and decisions(self.m):
            self.check_warnings(cands, best)

    def compare_candidates(self, cert, cands):
        """The certificate's candidates (pairs, order, scores, amounts) against the oracle's."""
        mine = {(c['pid'], c['rid']): (c['score'], c['amount']) for c in cands}
        theirs = {(c['project'], c['round']): (units(c['score'], 10 ** 4), units(c['subsidy'], 100)) for c in cert['candidates']}
        if list(theirs) != list(mine):
            only_allot, only_oracle = sorted(set(theirs) - set(mine)), sorted(set(mine) - set(theirs))
            if only_allot or only_oracle:
                self.problem(f'candidate set differs: allot only {only_allot}, oracle only {only_oracle}')
            else:
                self.problem('candidate order differs')
        for pair in mine:
            if pair in theirs and theirs[pair] != mine[pair]:
                self.problem(f'candidate {pair}: allot (score 1e-4, fen) {theirs[pair]}, oracle {mine[pair]}')
        return theirs

    def compare_optimum(self, cert, cands, best):
        key, chosen = best
        m = self.m
        rounds = {r['id']: r for r in m['rounds']}
        expected = [(cands[i]['pid'], cands[i]['rid']) for i in chosen]
        got = [(f['project'], f['round']) for f in cert['funded']]
        if got != expected:
            index = {(c['pid'], c['rid']): c for c in cands}
            got_score = sum(index[g]['score'] for g in got if g in index)
            got_fen = sum(index[g]['amount'] for g in got if g in index)
            self.problem(f'funded differs: allot {got} (score {got_score}, fen {got_fen}), '
                         f'oracle {expected} (score {key[-3]}, fen {-key[-2]})')
        if F(cert['total_score']) != F(key[-3], 10 ** 4):
            self.problem(f"total_score {cert['total_score']}, oracle {F(key[-3], 10 ** 4)}")
        if cert['status'] != 'optimal':
            self.problem(f"status {cert['status']}")
        if m.get('priority'):
            levels = [(x['round'], F(x['score'])) for x in cert['objective'].get('levels') or []]
            want = [(rid, F(key[j], 10 ** 4)) for j, rid in enumerate(m['priority'])]
            if levels != want:
                self.problem(f'round-priority levels {levels}, oracle {want}')
        self.compare_baseline(cert, cands)
        if got != expected:
            return  # what follows is a function of the portfolio
        total_paid, paid = payments(m, cands, expected)
        if F(cert['total_subsidy']) != total_paid:
            self.problem(f"total_subsidy {cert['total_subsidy']}, oracle {total_paid}")
        for f in cert['funded']:
            pair = (f['project'], f['round'])
            if F(f['subsidy']) != paid[pair]:
                self.problem(f"payment {pair}: {f['subsidy']}, oracle {paid[pair]}")
        amount = {(c['pid'], c['rid']): c['amount'] for c in cands}
        for pool_cert in cert['pools']:
            pool = next(q for q in m['pools'] if q['id'] == pool_cert['id'])
            in_pool = [pair for pair in expected if rounds[pair[1]]['pool'] == pool['id']]
            spent = sum((paid[pair] for pair in in_pool), F(0))
            committed = F(sum(amount[pair] for pair in in_pool), 100)
            if (F(pool_cert['budget']), F(pool_cert['spent']), F(pool_cert['left'])) != (pool['budget'], spent, pool['budget'] - spent):
                self.problem(f"pool {pool['id']}: budget/spent/left {pool_cert['budget']}/{pool_cert['spent']}/{pool_cert['left']}, "
                             f"oracle {pool['budget']}/{spent}/{pool['budget'] - spent}")
            if pool['phi'] is not None:
                scale = min(F(1), pool['budget'] / committed) if committed else F(1)
                # the certificate's λ is a decimal of up to 28 significant digits
                if 'scale' not in pool_cert or abs(F(pool_cert['scale']) - scale) > F(1, 10 ** 20):
                    self.problem(f"pool {pool['id']}: scale {pool_cert.get('scale')}, oracle {scale}")
        funded_projects = set(pid for pid, _ in expected)
        candidate_projects = set(c['pid'] for c in cands)
        for project in cert['projects']:
            want = ('funded' if project['id'] in funded_projects
                    else 'unfunded' if project['id'] in candidate_projects else 'ineligible')
            if project['status'] != want:
                self.problem(f"project {project['id']} status {project['status']}, oracle {want}")

    def compare_baseline(self, cert, cands):
        mine = rank_and_cut(self.m, cands)
        baseline = cert.get('baseline')
        theirs = None if baseline is None else [(f['project'], f['round']) for f in baseline['funded']]
        if (mine is None) != (theirs is None) or (mine is not None and sorted(mine) != sorted(theirs)):
            self.problem(f'rank-and-cut: allot {theirs}, oracle {mine}')
            return
        if mine is None:
            return
        score = F(sum(c['score'] for c in cands if (c['pid'], c['rid']) in set(mine)), 10 ** 4)
        total_paid, _ = payments(self.m, cands, mine)
        if (F(baseline['total_score']), F(baseline['total_subsidy'])) != (score, total_paid):
            self.problem(f"rank-and-cut totals {baseline['total_score']}/{baseline['total_subsidy']}, oracle {score}/{total_paid}")

    def compare_check(self, entries):
        """`allot check -f json`: every entry's eligibility, amount and score (null where a
        condition other than the qualifying score fails)."""
        result = run_allot(self.allot, ['check', self.folder, '-f', 'json'] + self.whatifs)
        if result.returncode != 0:
            self.problem(f'check: exit {result.returncode}: {result.stderr.strip()[:200]}')
            return
        theirs = {}
        for e in json.loads(result.stdout):
            score = None if e['score'] is None else units(e['score'], 10 ** 4)
            theirs[(e['project'], e['round'])] = (e['eligible'], units(e['subsidy'], 100), score)
        differ = [(pair, theirs.get(pair), entries.get(pair)) for pair in sorted(set(theirs) | set(entries))
                  if theirs.get(pair) != entries.get(pair)]
        if differ:
            self.problem(f'check (eligible, fen, score 1e-4): allot vs oracle {differ[:3]}')

    def check_warnings(self, cands, best):
        """`allot solve` (table, English) must say on stderr, once each, which round floors and
        must-fund locks bind and at what cost (docs/output-format.md, Warnings; binding.py)."""
        try:
            mine = expected_warnings(self.m, cands, best, NODE_LIMIT)
        except NodeLimit:
            return
        before = len(self.problems)
        self.warnings = {'expected': sum(mine.values()), 'agreed': False}
        result = run_allot(self.allot, ['solve', self.folder, '--lang', 'en'] + self.whatifs)
        if 'panic' in result.stderr or 'RUST_BACKTRACE' in result.stderr:
            self.problem(f'solve (table): panic: {result.stderr.strip()[:300]}')
        if result.returncode != 0:
            self.problem(f'solve (table): exit {result.returncode}: {result.stderr.strip()[:300]}')
            return
        theirs = parse_warnings(result.stderr)
        if theirs != mine:
            def show(counter):
                return sorted(f'{kind} {label} cost {cost if isinstance(cost, str) else points(cost)}'
                              for kind, label, cost in counter.elements())
            self.problem(f'binding warnings: allot only {show(theirs - mine)}, oracle only {show(mine - theirs)}')
        self.warnings['agreed'] = len(self.problems) == before

    def check_time_limit(self, cands, best):
        """A run with a limit too small to finish (1e-9 s): whether it stops depends on the
        machine, so only what holds either way is asserted. Exit 0 gives the optimum; exit 5 a
        feasible portfolio with honest totals, proven round-priority levels, gap 1.0 while a
        level is unproven, and gap 0 only at the best score."""
        key, chosen = best
        result, out = self.solve('time-limit.json', ['--time-limit', '1e-9'])
        if result.returncode == 4 and 'before any portfolio was found' in result.stderr:
            # The limit came before any portfolio was found: which runs get that far depends on
            # the machine, and the docs do not list this outcome (reported); only check that it
            # wrote nothing.
            if os.path.exists(out):
                self.problem('--time-limit 1e-9: output file written on exit 4')
            return
        if result.returncode not in (0, 5):
            self.problem(f'--time-limit 1e-9: exit {result.returncode}: {result.stderr.strip()[:200]}')
            return
        with open(out, encoding='utf-8') as f:
            cert = json.load(f)
        got = [(f['project'], f['round']) for f in cert['funded']]
        if result.returncode == 0:
            if cert['status'] != 'optimal' or got != [(cands[i]['pid'], cands[i]['rid']) for i in chosen]:
                self.problem(f"--time-limit 1e-9, exit 0: status {cert['status']}, funded {got}")
            return
        rules = Rules(self.m, cands)
        index = {(c['pid'], c['rid']): i for i, c in enumerate(cands)}
        if cert['status'] != 'time_limit' or cert['proof'] != 'none' or not isinstance(cert.get('gap'), (int, float)):
            self.problem(f"--time-limit 1e-9, exit 5: status {cert['status']}, proof {cert['proof']}, gap {cert.get('gap')}")
            return
        if any(pair not in index for pair in got) or not rules.feasible(set(index[pair] for pair in got)):
            self.problem(f'--time-limit 1e-9: portfolio {got} breaks a row')
            return
        portfolio = rules.key(set(index[pair] for pair in got))
        total_paid, _ = payments(self.m, cands, got)
        if (F(cert['total_score']), F(cert['total_subsidy'])) != (F(portfolio[-3], 10 ** 4), total_paid):
            self.problem(f"--time-limit 1e-9: totals {cert['total_score']}/{cert['total_subsidy']}, "
                         f"the portfolio's {F(portfolio[-3], 10 ** 4)}/{total_paid}")
        gap = cert['gap']
        priority = self.m.get('priority') or []
        if priority:
            levels = [(x['round'], F(x['score'])) for x in cert['objective'].get('levels') or []]
            proven = [(rid, F(key[j], 10 ** 4)) for j, rid in enumerate(priority)]
            if levels != proven[:len(levels)]:
                self.problem(f'--time-limit 1e-9: levels {levels}, oracle {proven}')
            if len(levels) < len(priority) and gap != 1.0:
                self.problem(f'--time-limit 1e-9: round priority cut at level {len(levels) + 1} of {len(priority)}, gap {gap} (docs: 1.0)')
        # score parts of the key: the levels and the total score
        if gap < 0 or (gap == 0 and portfolio[:len(priority) + 1] != key[:len(priority) + 1]):
            self.problem(f'--time-limit 1e-9: gap {gap} at score {portfolio[:len(priority) + 1]}, '
                         f'optimum {key[:len(priority) + 1]}')

    def solved(self, result, out, cands, context):
        """allot's certificate and its candidates as compared with the oracle's; (None, None),
        with the problem recorded, when allot did not exit 0."""
        if result.returncode != 0:
            self.problem(f'{context}allot exit {result.returncode}: {result.stderr.strip()[:300]}')
            return None, None
        with open(out, encoding='utf-8') as f:
            cert = json.load(f)
        return cert, self.compare_candidates(cert, cands)

    def check_without_optimum(self, result, out, cands):
        """A case past the oracle's node limit: allot's portfolio is checked for feasibility,
        totals and exchanges that would improve it, not against the optimum."""
        if result.returncode == 3:
            self.unverified = True  # the oracle cannot confirm infeasibility
            return
        cert, _ = self.solved(result, out, cands, '')
        if cert is None or self.problems:
            return
        index = {(c['pid'], c['rid']): i for i, c in enumerate(cands)}
        chosen = [index[(f['project'], f['round'])] for f in cert['funded']]
        rules = Rules(self.m, cands)
        if not rules.feasible(set(chosen)):
            self.problem('allot\'s portfolio breaks a row')
            return
        if F(cert['total_score']) != F(sum(cands[i]['score'] for i in chosen), 10 ** 4):
            self.problem(f"total_score {cert['total_score']} is not the sum of the funded scores")
        total_paid, _ = payments(self.m, cands, [(cands[i]['pid'], cands[i]['rid']) for i in chosen])
        if F(cert['total_subsidy']) != total_paid:
            self.problem(f"total_subsidy {cert['total_subsidy']}, oracle {total_paid}")
        better = local_improvement(self.m, cands, chosen)
        if better is not None:
            self.problem(f'a better portfolio one exchange away: {[(cands[i]["pid"], cands[i]["rid"]) for i in better]} '
                         f'{rules.key(set(better))[:-1]} vs allot {rules.key(set(chosen))[:-1]}')


def points(x):
    """A Fraction of points with a terminating expansion (scores are in 10^-4) as a decimal string."""
    return str(Decimal(x.numerator) / Decimal(x.denominator))


def pairs(items):
    """JSON {project, round} objects as sorted (project, round) tuples; None stays None."""
    return None if items is None else sorted((x['project'], x['round']) for x in items)


class ExplainCase(Case):
    """One random scenario checked with `allot reserve -f json` and `allot explain -f json` for
    each of its projects, against explain.py (docs/explain.md). It shares Case's set-up; its
    own `check` and `expect_failure` replace Case's."""

    def run(self, command, *extra):
        """allot's JSON answer to `allot COMMAND CASE EXTRA -f json` with the case's what-ifs
        (None unless it exits 0), and the finished process."""
        result = run_allot(self.allot, [command, self.folder, *extra, '-f', 'json'] + self.whatifs)
        if 'panic' in result.stderr or 'RUST_BACKTRACE' in result.stderr:
            self.problem(f'{command} panic: {result.stderr.strip()[:300]}')
        if result.returncode != 0:
            return None, result
        return json.loads(result.stdout), result

    def expect_failure(self, code, why):
        """explain and reserve exit as solve does: 2 on a refused input, 3 when infeasible."""
        for command in (['reserve'], ['explain', self.m['projects'][0]['id']]):
            _, result = self.run(*command)
            if result.returncode != code or not result.stderr.startswith('allot: '):
                self.problem(f'{command[0]}: expected exit {code} ({why}), got {result.returncode}: '
                             f'{result.stderr.strip()[:200]}')

    def check(self):
        why = self.whatif_refusal or refusal(self.m)
        if why:
            self.expect_failure(2, why)
            return
        try:
            ex = Explainer(self.m)
        except TooLarge:
            self.unverified = True
            return
        if ex.optimum is None:
            self.expect_failure(3, 'the oracle finds no feasible portfolio')
            return
        cert, result = self.run('solve')
        if cert is None:
            self.problem(f'solve: exit {result.returncode}: {result.stderr.strip()[:300]}')
            return
        if pairs(cert['funded']) != sorted(ex.optimum.pairs):
            # every explanation is relative to the optimum: the solve cases report the cause
            self.problem(f"solve: funded {pairs(cert['funded'])}, oracle {sorted(ex.optimum.pairs)}")
            return
        self.compare_reserve(ex)
        for p in self.m['projects']:
            self.compare_explain(ex, p)

    def compare_reserve(self, ex):
        answer, result = self.run('reserve')
        if answer is None:
            self.problem(f'reserve: exit {result.returncode}: {result.stderr.strip()[:300]}')
            return
        mine = ex.reserve()
        theirs = {x['round']: x for x in answer['rounds']}
        if list(theirs) != list(mine):
            self.problem(f'reserve: rounds {list(theirs)}, oracle {list(mine)}')
        for rid, expected in mine.items():
            if rid not in theirs:
                continue
            got = theirs[rid]
            chain = [(x['project'], x['enters_after']) for x in got['reserve']]
            if chain != expected['reserve']:
                self.problem(f"reserve {rid}: list {chain}, oracle {expected['reserve']}")
            if [x['position'] for x in got['reserve']] != list(range(1, len(chain) + 1)):
                self.problem(f"reserve {rid}: positions {[x['position'] for x in got['reserve']]}")
            withdrawals = {x['withdrawn']: x for x in got['withdrawals']}
            if sorted(withdrawals) != sorted(expected['withdrawals']):
                self.problem(f"reserve {rid}: withdrawals of {sorted(withdrawals)}, oracle {sorted(expected['withdrawals'])}")
            for pid, want in expected['withdrawals'].items():
                if pid not in withdrawals:
                    continue
                w = withdrawals[pid]
                also = sorted(x['project'] for x in w['also_leaves'] or [])
                if (w['feasible'], pairs(w['enters']), also) != (want['feasible'], want['enters'], want['also']):
                    self.problem(f"reserve {rid}, {pid} withdrawn: feasible {w['feasible']}, enters {pairs(w['enters'])}, "
                                 f"also leaving {also}; oracle {want['feasible']}, {want['enters']}, {want['also']}")

    def compare_explain(self, ex, project):
        pid = project['id']
        answer, result = self.run('explain', pid)
        where = f'explain {pid}'
        if answer is None:
            self.problem(f'{where}: exit {result.returncode}: {result.stderr.strip()[:300]}')
            return
        mine = ex.explain(pid)
        for field in ('enterprise', 'industry', 'jurisdiction'):
            if answer[field] != project[field]:
                self.problem(f'{where}: {field} {answer[field]!r}, scenario {project[field]!r}')
        if answer['decision'] != mine['decision']:
            self.problem(f"{where}: decision {answer['decision']}, oracle {mine['decision']}")
        funded = answer['funded'] or {}
        if funded.get('round') != mine['funded_round']:
            self.problem(f"{where}: funded in {funded.get('round')}, oracle {mine['funded_round']}")
        elif mine['funded_round'] is not None:
            _, paid = payments(self.m, ex.cands, sorted(ex.optimum.pairs))
            if F(funded['paid']) != paid[(pid, mine['funded_round'])]:
                self.problem(f"{where}: paid {funded['paid']}, oracle {paid[(pid, mine['funded_round'])]}")
        if answer['left_out'] != {'prices': [], 'subsidy_margins': [], 'score_margin': False}:
            self.problem(f"{where}: left_out {answer['left_out']} without a time limit")
        resolution = {'score': F(1, 10 ** 4), 'money': F(ex.money_unit(), 100)}
        if {k: F(v) for k, v in answer['resolution'].items()} != resolution:
            self.problem(f"{where}: resolution {answer['resolution']}, oracle {resolution}")
        rounds = {x['round']: x for x in answer['rounds']}
        if sorted(rounds) != sorted(mine['rounds']):
            self.problem(f"{where}: rounds {sorted(rounds)}, oracle {sorted(mine['rounds'])}")
        for rid, want in mine['rounds'].items():
            if rid in rounds:
                self.compare_round(ex, f'{where} in {rid}', pid, rid, rounds[rid], want)
        self.compare_margin(f'{where}: score margin', mine['score_margin'], answer['score_margin'], 10 ** 4)
        direction = 'fall' if mine['decision'] == 'funded' else 'rise'
        if answer['score_margin_direction'] != direction:
            self.problem(f"{where}: score_margin_direction {answer['score_margin_direction']}, oracle {direction}")

    def compare_round(self, ex, where, pid, rid, got, want):
        if got['eligible'] != want['eligible']:
            self.problem(f"{where}: eligible {got['eligible']}, oracle {want['eligible']}")
            return
        if units(got['subsidy'], 100) != want['amount']:
            self.problem(f"{where}: rule amount {got['subsidy']}, oracle {F(want['amount'], 100)}")
        if want['score'] is not None and (got['score'] is None or units(got['score'], 10 ** 4) != want['score']):
            self.problem(f"{where}: score {got['score']}, oracle {F(want['score'], 10 ** 4)}")
        for field in ('rank', 'ranked', 'funded', 'above_line'):
            if got[field] != want[field]:
                self.problem(f'{where}: {field} {got[field]}, oracle {want[field]}')
        if want['price'] is None:
            if got['price'] is not None:
                self.problem(f"{where}: a price {got['price']}, oracle none (given only for an unfunded project)")
        elif got['price'] is None:
            self.problem(f"{where}: no price, oracle {want['price']}")
        elif want['price']['change'] is None or got['price']['change'] is None:
            if want['price']['change'] is not got['price']['change']:
                self.problem(f"{where}: price {got['price']['change']}, oracle {want['price']['change']} "
                             '(None: no portfolio funds it with the committee\'s decisions)')
        else:
            p, price = want['price']['change'], got['price']['change']
            mine = (F(p['total'], 10 ** 4), F(p['cost'], 10 ** 4), p['enters'], p['leaves'], p['priority_round'],
                    None if p['priority_cost'] is None else F(p['priority_cost'], 10 ** 4))
            theirs = (F(price['total_score']), F(price['cost']), pairs(price['enters']), pairs(price['leaves']),
                      price.get('priority_round'), None if price.get('priority_cost') is None else F(price['priority_cost']))
            if theirs != mine:
                self.problem(f'{where}: price (total, cost, enters, leaves, priority round, its cost) {theirs}, oracle {mine}')
        if want['subsidy_margin'] is None:
            if got['subsidy_margin'] is not None:
                self.problem(f"{where}: a subsidy margin {got['subsidy_margin']}, oracle none")
        else:
            n = len(self.problems)
            self.compare_margin(f'{where}: subsidy margin', want['subsidy_margin'], got['subsidy_margin'], 100)
            threshold = (got['subsidy_margin'] or {}).get('threshold')
            if len(self.problems) > n and threshold is not None:
                # for the report: is the pair funded there at allot's threshold and one unit above?
                i, unit = ex.index[(pid, rid)], ex.money_unit()
                at = units(threshold, 100)
                funded = [ex.best(over=(i, a))[1] for a in (at, at + unit)]
                self.problems[-1] += (' (oracle: at allot\'s threshold funded there '
                                      f'{funded[0] is not None and i in funded[0].members}, one unit more '
                                      f'{funded[1] is not None and i in funded[1].members})')

    def compare_margin(self, where, mine, theirs, scale):
        """A margin of explain.py ({threshold in units, enters, leaves} or {none}) against allot's
        JSON ({threshold, enters, leaves} or {threshold: null, none})."""
        if theirs is None:
            self.problem(f'{where}: null, oracle {mine}')
            return
        if 'none' in mine:
            if theirs.get('threshold') is not None or theirs.get('none') != mine['none']:
                self.problem(f"{where}: threshold {theirs.get('threshold')} (none: {theirs.get('none')}), "
                             f"oracle none: {mine['none']}")
            return
        if theirs.get('threshold') is None:
            self.problem(f"{where}: none ({theirs.get('none')}), oracle {F(mine['threshold'], scale)} "
                         f"(enters {mine['enters']}, leaves {mine['leaves']})")
            return
        if F(theirs['threshold']) != F(mine['threshold'], scale):
            self.problem(f"{where}: {theirs['threshold']} (enters {pairs(theirs['enters'])}, leaves "
                         f"{pairs(theirs['leaves'])}), oracle {F(mine['threshold'], scale)} "
                         f"(enters {mine['enters']}, leaves {mine['leaves']})")
        elif (pairs(theirs['enters']), pairs(theirs['leaves'])) != (mine['enters'], mine['leaves']):
            self.problem(f"{where}: {theirs['threshold']} agrees, but enters {pairs(theirs['enters'])}, leaves "
                         f"{pairs(theirs['leaves'])}; oracle enters {mine['enters']}, leaves {mine['leaves']}")
        if mine.get('monotone') is False:
            self.problem(f'{where}: oracle: being funded is not monotone above the threshold (docs: it is)')


def run_case(job):
    kind, allot, seed, shape, max_entries, folder = job
    try:
        case = (Case if kind == 'solve' else ExplainCase)(allot, seed, shape, max_entries, folder)
        case.check()
        problems, unverified, warnings = case.problems, case.unverified, case.warnings
    except Exception as error:  # a harness failure is a failed case, never a skipped one
        problems, unverified, warnings = [harness_error(error)], False, None
    prefix = '' if kind == 'solve' else 'explain '
    return {'label': f'{prefix}seed {seed} ({shape})', 'kind': kind, 'group': prefix + shape, 'problems': problems,
            'unverified': unverified, 'warnings': warnings}


def run_malformed(allot, name, folder):
    try:
        problems = check_malformed(allot, folder, *MALFORMED[name])
    except Exception as error:
        problems = [harness_error(error)]
    return {'label': f'malformed case "{name}"', 'kind': 'malformed', 'group': 'malformed', 'problems': problems,
            'unverified': False, 'warnings': None}


def harness_error(error):
    where = traceback.extract_tb(error.__traceback__)[-1]
    return f'harness error: {type(error).__name__}: {error} ({os.path.basename(where.filename)}:{where.lineno})'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--allot', required=True, help='the allot binary to check')
    parser.add_argument('--count', type=int, default=300, help='random cases (default 300)')
    parser.add_argument('--seed', type=int, default=1, help='seed of the sample: the same seed and count give the same cases')
    parser.add_argument('--jobs', type=int, default=2, help='cases run in parallel (default 2)')
    parser.add_argument('--keep', metavar='DIR', help='write the cases to DIR and keep them (default: a temporary folder, removed)')
    parser.add_argument('--case', type=int, metavar='CASE_SEED', help='run only the case of this seed (as printed)')
    parser.add_argument('--shape', choices=SHAPES, help='generate only this shape')
    parser.add_argument('--max-entries', type=int, default=16,
                        help='(project, round) entries per scenario (default 16; the oracle\'s search grows fast past about 30)')
    parser.add_argument('--explain', type=int, default=EXPLAIN_COUNT, metavar='N',
                        help=f'explain cases: allot explain (every project) and allot reserve against explain.py (default {EXPLAIN_COUNT})')
    parser.add_argument('--explain-max-entries', type=int, default=EXPLAIN_ENTRIES, metavar='N',
                        help=f'(project, round) entries per explain case (default {EXPLAIN_ENTRIES}; its enumeration grows fast past about 16)')
    parser.add_argument('--explain-case', type=int, metavar='CASE_SEED', help='run only the explain case of this seed (as printed)')
    args = parser.parse_args()
    allot = os.path.abspath(args.allot)
    if not os.access(allot, os.X_OK):
        parser.error(f'{args.allot}: not an executable file')
    if args.case is not None and args.explain_case is not None:
        parser.error('--case and --explain-case: one case at a time')
    if args.explain > EXPLAIN_OFFSET:
        parser.error(f'--explain: at most {EXPLAIN_OFFSET} (the seeds of more would be the solve cases\')')

    def shape(seed):
        return args.shape or SHAPES[seed % len(SHAPES)]

    workdir = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix='allot-xcheck-')
    os.makedirs(workdir, exist_ok=True)
    one = args.case is not None or args.explain_case is not None
    if one:
        seeds = [args.case] if args.case is not None else []
        explain_seeds = [args.explain_case] if args.explain_case is not None else []
    else:
        seeds = [args.seed * 1_000_000 + i for i in range(args.count)]
        explain_seeds = [args.seed * 1_000_000 + EXPLAIN_OFFSET + i for i in range(args.explain)]
    # the explain cases first: they take longest, so the pool's tail is short
    jobs = ([('explain', allot, seed, shape(seed), args.explain_max_entries, os.path.join(workdir, str(seed)))
             for seed in explain_seeds]
            + [('solve', allot, seed, shape(seed), args.max_entries, os.path.join(workdir, str(seed))) for seed in seeds])
    try:
        with multiprocessing.Pool(max(1, args.jobs)) as pool:
            results = pool.map(run_case, jobs, chunksize=1)
        if not one:
            results += [run_malformed(allot, name, os.path.join(workdir, 'malformed', str(number)))
                        for number, name in enumerate(MALFORMED)]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    order = {'solve': 0, 'malformed': 1, 'explain': 2}
    results.sort(key=lambda r: order[r['kind']])  # stable: each kind in seed order
    failed = [r for r in results if r['problems']]
    for r in failed:
        print(f"{r['label']}: " + '; '.join(r['problems']))
    groups = SHAPES + ['malformed'] + ['explain ' + s for s in SHAPES]
    width = max(len(g) for g in groups if any(r['group'] == g for r in results)) if results else 10
    for group in groups:
        mine = [r for r in results if r['group'] == group]
        if not mine:
            continue
        bad = sum(1 for r in mine if r['problems'])
        unverified = sum(1 for r in mine if r['unverified'] and not r['problems'])
        if not unverified:
            note = ''
        elif group.startswith('explain'):
            note = f' ({unverified} with more than {PORTFOLIO_LIMIT:,} portfolios, unverified)'
        else:
            note = f' ({unverified} infeasible past the oracle\'s reach, unverified)'
        print(f'{group:{width}} {len(mine):5} run {len(mine) - bad:5} agreed {bad:3} disagreements{note}')
    warned = [r for r in results if r['warnings'] is not None]
    if warned:
        bad = sum(1 for r in warned if not r['warnings']['agreed'])
        binding = sum(1 for r in warned if r['warnings']['expected'])
        lines = sum(r['warnings']['expected'] for r in warned)
        print(f"{'warnings':{width}} {len(warned):5} run {len(warned) - bad:5} agreed {bad:3} disagreements "
              f'(binding floors and locks; {binding} cases with {lines} binding warnings expected)')
    print(f"{'total':{width}} {len(results):5} run {len(results) - len(failed):5} agreed {len(failed):3} disagreements")
    if any(r['kind'] == 'solve' for r in failed):
        entries = f' --max-entries {args.max_entries}' if args.max_entries != 16 else ''
        print(f'rerun one case: {sys.argv[0]} --allot {args.allot} --case SEED --shape SHAPE{entries} --keep DIR '
              '(its files are then in DIR/SEED)')
    if any(r['kind'] == 'explain' for r in failed):
        entries = f' --explain-max-entries {args.explain_max_entries}' if args.explain_max_entries != EXPLAIN_ENTRIES else ''
        print(f'rerun one explain case: {sys.argv[0]} --allot {args.allot} --explain-case SEED --shape SHAPE{entries} '
              '--keep DIR (its files are then in DIR/SEED)')
    if args.keep:
        print(f'cases kept in {workdir}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
