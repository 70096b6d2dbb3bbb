#!/usr/bin/env python3
"""Cross-check `allot solve` against an independent oracle on random small scenarios.

    python3 tests/xcheck/run.py --allot target/release/allot [--count N] [--seed S] [--jobs J] [--keep DIR]

Exit 0 when every case agrees, 1 when any disagrees (or the harness itself failed on one).
See README.md in this folder.
"""
import argparse
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import tomllib
import traceback
from decimal import Decimal
from fractions import Fraction as F

sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generate import SHAPES, generate, what_ifs, write  # noqa: E402
from malformed import CASES as MALFORMED, check_one as check_malformed  # noqa: E402
from oracle import (NodeLimit, Rules, best_portfolio, evaluate, local_improvement, payments,  # noqa: E402
                    rank_and_cut, refusal)

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
        rng = random.Random(seed)
        self.m = generate(rng, shape, max_entries)
        if os.path.exists(folder):
            shutil.rmtree(folder)
        write(self.m, folder, rng)
        if rng.random() < 0.2:
            # the same scenario as JSON (the reader takes both)
            toml_path = os.path.join(folder, 'scenario.toml')
            with open(toml_path, 'rb') as f:
                document = tomllib.load(f)
            with open(os.path.join(folder, 'scenario.json'), 'w', encoding='utf-8') as f:
                json.dump(document, f, ensure_ascii=False, indent=1)
            os.remove(toml_path)
        self.whatifs = []
        self.whatif_refusal = None
        if rng.random() < 0.35:
            self.whatifs, self.whatif_refusal = what_ifs(self.m, rng)

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


def run_case(job):
    allot, seed, shape, max_entries, folder = job
    try:
        case = Case(allot, seed, shape, max_entries, folder)
        case.check()
        problems, unverified = case.problems, case.unverified
    except Exception as error:  # a harness failure is a failed case, never a skipped one
        problems, unverified = [harness_error(error)], False
    return {'label': f'seed {seed} ({shape})', 'shape': shape, 'problems': problems, 'unverified': unverified}


def run_malformed(allot, name, folder):
    try:
        problems = check_malformed(allot, folder, *MALFORMED[name])
    except Exception as error:
        problems = [harness_error(error)]
    return {'label': f'malformed case "{name}"', 'shape': 'malformed', 'problems': problems, 'unverified': False}


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
    args = parser.parse_args()
    allot = os.path.abspath(args.allot)
    if not os.access(allot, os.X_OK):
        parser.error(f'{args.allot}: not an executable file')

    seeds = [args.case] if args.case is not None else [args.seed * 1_000_000 + i for i in range(args.count)]
    workdir = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix='allot-xcheck-')
    os.makedirs(workdir, exist_ok=True)
    jobs = [(allot, seed, args.shape or SHAPES[seed % len(SHAPES)], args.max_entries, os.path.join(workdir, str(seed)))
            for seed in seeds]
    try:
        with multiprocessing.Pool(max(1, args.jobs)) as pool:
            results = pool.map(run_case, jobs, chunksize=1)
        if args.case is None:
            results += [run_malformed(allot, name, os.path.join(workdir, 'malformed', str(number)))
                        for number, name in enumerate(MALFORMED)]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    failed = [r for r in results if r['problems']]
    for r in failed:
        print(f"{r['label']}: " + '; '.join(r['problems']))
    for shape in SHAPES + ['malformed']:
        mine = [r for r in results if r['shape'] == shape]
        if not mine:
            continue
        bad = sum(1 for r in mine if r['problems'])
        unverified = sum(1 for r in mine if r['unverified'] and not r['problems'])
        note = f' ({unverified} infeasible past the oracle\'s reach, unverified)' if unverified else ''
        print(f'{shape:10} {len(mine):5} run {len(mine) - bad:5} agreed {bad:3} disagreements{note}')
    print(f'total      {len(results):5} run {len(results) - len(failed):5} agreed {len(failed):3} disagreements')
    if failed:
        entries = f' --max-entries {args.max_entries}' if args.max_entries != 16 else ''
        print(f'rerun one case: {sys.argv[0]} --allot {args.allot} --case SEED --shape SHAPE{entries} --keep DIR '
              '(its files are then in DIR/SEED)')
    if args.keep:
        print(f'cases kept in {workdir}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
