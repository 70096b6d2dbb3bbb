"""Random small scenarios for allot, written from docs/scenario-format.md.

A scenario is first built as a plain dict (the "model": exact Fractions, yuan) that oracle.py
evaluates, then written as scenario.toml (+ applications.csv) in one of the many spellings the
format accepts, so the reader is exercised as well as the solver.
"""
import json
import os
import random
import shutil
import tomllib
from decimal import Decimal
from fractions import Fraction as F

from oracle import MAX_AMOUNT, evaluate

SHAPES = ['ties', 'multi', 'limits', 'committee', 'floors', 'extreme', 'prorata', 'priority',
          'norm', 'halves', 'mixed', 'face', 'faceprio', 'wide', 'widefloor', 'faceext']

FLAGS = ['patent', 'class_a', 'leader', 'brand', 'green']
INDUSTRIES = ['装备', '材料', 'IT', 'bio']
JURISDICTIONS = ['市本级', '柯城区']
ENTERPRISES = ['甲', '乙', '丙', '丁', 'E1']
INVESTMENTS = ['equipment', 'technology', 'software']
# the shapes 'mixed' draws from
FEATURES = ['ties', 'multi', 'limits', 'committee', 'floors', 'extreme', 'prorata', 'priority', 'norm']


def dec(x):
    """The exact decimal string of a Fraction with a terminating expansion."""
    d = Decimal(x.numerator) / Decimal(x.denominator)
    s = format(d.normalize(), 'f')
    assert F(s) == x, (x, s)
    return s


def quote(s):
    return json.dumps(s, ensure_ascii=False)


def money_literal(rng, yuan, unit):
    """A TOML money value in `unit`: an integer, a plain or comma-grouped string, or a string
    naming its own unit."""
    value = yuan if unit == 'yuan' else yuan / 10000
    s = dec(value)
    r = rng.random()
    if value.denominator == 1 and r < 0.3:
        return str(value.numerator)
    if unit == 'yuan' and r < 0.45 and value >= 1000:
        whole, _, frac = s.partition('.')
        s = f"{int(whole):,}" + ('.' + frac if frac else '')
    if r > 0.9:
        return quote(dec(yuan / 10000) + '万') if unit == 'yuan' else quote(dec(yuan) + '元')
    return quote(s)


def number_literal(rng, x):
    """A TOML number: an integer, a percentage string, a float (read back exactly through its
    shortest form) or a decimal string."""
    s = dec(x)
    r = rng.random()
    if x.denominator == 1 and r < 0.4:
        return str(x.numerator)
    if r < 0.55 and 0 <= x <= 1 and len(s) < 8:
        return quote(dec(x * 100) + '%')
    if r < 0.7 and len(s) < 10:
        return s if '.' in s else s + '.0'
    return quote(s)


def pick_ids(rng, n):
    """Project ids in one of three styles; the second mixes ids whose string order differs from
    their numeric order, which the tie-break depends on."""
    style = rng.random()
    if style < 0.4:
        return [f"P{i + 1:02d}" for i in range(n)]
    if style < 0.7:
        tricky = ['P9', 'P10', 'P1', 'P100', 'A', 'a', 'B2', 'b', 'Z9', 'P09', 'x-1', 'x_1', '项目1', '10', '9']
        return rng.sample(tricky, n) if n <= len(tricky) else [f'P{i}' for i in range(1, n + 1)]
    return rng.sample([f"P{i}" for i in range(1, 400)], n)


def generate(rng, shape, max_entries=16):
    """A random scenario model of the given shape with at most `max_entries` (project, round)
    entries, small enough for the oracle's brute force."""
    # 'mixed' turns each of the other shapes' features on with probability 0.4.
    feature = {name: shape == name or (shape == 'mixed' and rng.random() < 0.4) for name in FEATURES}
    m = {'shape': shape}
    m['unit'] = 'wan' if rng.random() < 0.3 else 'yuan'
    m['app_unit'] = 'wan' if rng.random() < 0.3 else 'yuan'
    m['csv'] = rng.random() < 0.35
    extreme, ties, multi, limits = feature['extreme'], feature['ties'], feature['multi'], feature['limits']

    npools = rng.choice([2, 3]) if multi else rng.choice([1, 1, 2, 3])
    pools = [{'id': f"q{i}", 'phi': None} for i in range(npools)]
    if feature['prorata']:
        for pool in pools:
            if rng.random() < 0.6:
                pool['phi'] = rng.choice([F(1), F(4, 5), F(1, 2), F(9, 10), F(3, 4), F(1, 10000), F(1, 4)])

    nrounds = rng.choice([2, 3, 4, 5]) if multi else rng.choice([1, 2, 2, 3])
    rounds = []
    for i in range(nrounds):
        pool = pools[0]['id'] if (multi and rng.random() < 0.5) else rng.choice(pools)['id']
        r = {'id': rng.choice(['r', 'R', 'rd']) + str(i), 'pool': pool, 'group_limits': [], 'elig': {}}
        r['name'] = f"第{i}轮" if rng.random() < 0.5 else r['id']
        rounds.append(r)
    m['pools'] = pools
    m['rounds'] = rounds

    projects = []
    entries = 0
    for pid in pick_ids(rng, rng.randint(3, max(14, max_entries - 2))):
        k = 1 if nrounds == 1 else min(rng.choice([1, 1, 2, 2, 3][:nrounds + 2]), nrounds)
        entered = rng.sample([r['id'] for r in rounds], k)
        if entries + len(entered) > max_entries:
            entered = entered[:max(0, max_entries - entries)]
            if not entered:
                break
        entries += len(entered)
        projects.append({
            'id': pid,
            'rounds': entered,
            'enterprise': rng.choice(ENTERPRISES[:3 if limits else 5]),
            'industry': rng.choice(INDUSTRIES[:2 if limits else 4]),
            'jurisdiction': rng.choice(JURISDICTIONS) if rng.random() < 0.8 else '市本级',
            'flags': set(f for f in FLAGS if rng.random() < 0.25),
            'attributes': {},
        })
    m['projects'] = projects

    for p in projects:
        p['inv'] = {}
        for field in INVESTMENTS:
            if rng.random() < 0.25:
                continue
            if extreme:
                p['inv'][field] = rng.choice([F(1), F(1, 100), F(99, 100), F(10 ** 12), F(rng.randint(1, 10 ** 14), 100),
                                              F(999_999_999_999), F(rng.randint(1, 10 ** 6), 100)])
            else:
                p['inv'][field] = rng.choice([F(100000), F(200000), F(500000), F(1000000), F(rng.randint(1, 5000) * 1000),
                                              F(rng.randint(1, 10 ** 8), 100)])

    for r in rounds:
        sub = {}
        if rng.random() < (0.6 if ties else 0.35):
            if extreme:
                sub['fixed'] = rng.choice([F(1), F(1, 100), F(150, 100), F(10 ** 11), F(rng.randint(1, 10 ** 13), 100)])
            else:
                sub['fixed'] = rng.choice([F(100000), F(50000), F(250000), F(100050, 100), F(rng.randint(1, 10 ** 7), 100)])
            if rng.random() < 0.2:
                sub['investment'] = rng.sample(INVESTMENTS, rng.randint(1, 3))
        else:
            sub['rate'] = rng.choice([F(1, 10), F(1, 5), F(3, 100), F(1), F(12345, 100000), F(1, 10)])
            if rng.random() < 0.6:
                sub['investment'] = rng.sample(INVESTMENTS, rng.randint(1, 3))
            if rng.random() < 0.5 and sub['rate'] < 1:
                sub['uplifts'] = [{'flag': f, 'rate': rng.choice([F(2, 100), F(1, 100), F(5, 1000)])}
                                  for f in rng.sample(FLAGS, rng.randint(1, 2))]
                sub['stacking'] = rng.choice(['max', 'sum'])
                rates = [u['rate'] for u in sub['uplifts']]
                most = sum(rates) if sub['stacking'] == 'sum' else max(rates)
                # docs: the rate plus the uplifts that can apply together must not exceed 1
                sub['rate'] = min(sub['rate'], 1 - most)
        if rng.random() < 0.4:
            sub['cap'] = rng.choice([F(100000), F(500000), F(1), F(12345678, 100), F(10 ** 12) if extreme else F(300000)])
        if rng.random() < 0.3:
            sub['rounding'] = rng.choice(['yuan', 'fen'])
        r['subsidy'] = sub

    for r in rounds:
        e = r['elig']
        if rng.random() < 0.15:
            e['jurisdictions'] = rng.sample(JURISDICTIONS, rng.randint(1, 2))
        if rng.random() < 0.1:
            e['industries'] = rng.sample(INDUSTRIES, rng.randint(1, 3))
        if rng.random() < 0.1:
            e['require_flags'] = rng.sample(FLAGS, 1)
        if rng.random() < 0.1:
            e['exclude_flags'] = rng.sample(FLAGS, 1)
        if rng.random() < 0.1:
            e['min_investment'] = rng.choice([F(100000), F(500000), F(1000000)])
        if rng.random() < 0.08 or feature['norm'] and rng.random() < 0.5:
            e['min_score'] = F(rng.choice([40, 50, 60, 55, 0, -5]))

    criteria = []
    for i in range(rng.choice([1, 1, 2]) if ties else rng.randint(1, 3)):
        c = {'id': rng.choice(['tech', 'c']) + str(i), 'w': rng.choice([F(1), F(2), F(35, 100), F(0), F(10 ** 9), F(333, 1000)])}
        c['name'] = f"指标{i}" if rng.random() < 0.4 else c['id']
        if feature['norm'] or rng.random() < 0.3:
            c['norm'] = rng.choice(['as_is', 'min_max', 'rank'])
            c['direction'] = rng.choice(['benefit', 'cost'])
        else:
            c['norm'] = 'as_is'
            c['direction'] = 'benefit'
        criteria.append(c)
    if sum(c['w'] for c in criteria) == 0:
        criteria[0]['w'] = F(1)
    m['criteria'] = criteria
    for p in projects:
        p['scores'] = {}
        for c in criteria:
            if rng.random() < 0.015:
                continue  # no value: the project becomes ineligible
            if ties:
                v = F(rng.choice([60, 60, 70, 0]))
            elif c['norm'] == 'as_is':
                v = rng.choice([F(rng.randint(0, 100)), F(rng.randint(0, 10000), 100), F(50), F(0), F(100)])
            else:
                v = rng.choice([F(rng.randint(0, 5)), F(rng.randint(-10 ** 6, 10 ** 6), 1000), F(10 ** 12), F(-10 ** 12)])
            p['scores'][c['id']] = v

    if shape == 'halves':
        # Two equal weights over values with four decimals: about half the scores are an exact
        # half at the fifth decimal, of either sign, and the qualifying score sometimes sits on one.
        criteria[:] = [{'id': cid, 'name': cid, 'w': F(1), 'norm': 'as_is', 'direction': 'benefit'} for cid in ('a', 'b')]
        for p in projects:
            p['scores'] = {c['id']: F(rng.randint(-10 ** 6, 10 ** 6), 10 ** 4) for c in criteria}

    # The face shapes make many portfolios tie on score and amount, so the third tie-break level
    # (the earliest differing pair) decides: scores and amounts proportional to one multiplier.
    if shape in ('face', 'faceprio', 'faceext') or (shape in ('mixed', 'wide', 'widefloor') and rng.random() < 0.4):
        base = rng.choice([F(1000), F(10), F(12345, 100), F(10 ** 9)])
        if shape == 'faceext':
            base = rng.choice([F(10 ** 11), F(2 * 10 ** 11 + 1), F(99999999999)])
        for r in rounds:
            r['subsidy'] = {'rate': F(1, 10) if rng.random() < 0.7 and shape != 'faceext' else F(1), 'investment': ['equipment']}
            if shape == 'faceext':
                r['subsidy']['rounding'] = 'fen'
            r['elig'] = {}
        for c in criteria:
            c['norm'] = 'as_is'
            c['direction'] = 'benefit'
        for p in projects:
            v = rng.choice([1, 2, 3, 4, 2, 3])
            p['inv'] = {'equipment': base * v + (F(rng.choice([0, 0, 1, 2, 100]), 100) if shape == 'faceext' else 0)}
            for c in criteria:
                p['scores'][c['id']] = F(10 * v)
            p['flags'] = set()

    m['bonus'] = []
    if rng.random() < 0.3:
        for f in rng.sample(FLAGS, rng.randint(1, 2)):
            m['bonus'].append({'flag': f, 'points': rng.choice([F(2), F(-3), F(1, 2), F(5, 10000), F(10000)])})
    m['min_score'] = F(rng.choice([30, 50, 60])) if rng.random() < 0.1 else None
    if shape == 'halves' and rng.random() < 0.5:
        m['min_score'] = sum(rng.choice(projects)['scores'].values()) / 2

    # Budgets and floors are drawn from the candidates' amounts, so that they bind.
    cands, _ = evaluate(m)
    round_pool = {r['id']: r['pool'] for r in rounds}
    for pool in pools:
        amounts = [c['amount'] for c in cands if round_pool[c['rid']] == pool['id']]
        mode = rng.random()
        if amounts and mode < 0.45:
            budget = F(sum(rng.sample(amounts, rng.randint(1, len(amounts)))), 100)
        elif amounts and mode < 0.75:
            budget = F(int(sum(amounts) * rng.uniform(0.2, 0.9)), 100)
        elif amounts and mode < 0.85:
            budget = F(sum(amounts), 100) + rng.choice([0, F(1, 100), -F(1, 100)])
        else:
            budget = F(rng.randint(0, 10 ** 8), 100)
        pool['budget'] = max(budget, F(0))
    commitment = sum((q['budget'] / (q['phi'] or 1) for q in pools), F(0))
    if commitment > MAX_AMOUNT:
        scale = MAX_AMOUNT / commitment
        for pool in pools:
            pool['budget'] = F(int(pool['budget'] * scale * (pool['phi'] or 1) * 100 * F(99, 100)), 100)
    if extreme and rng.random() < 0.5:
        # the last pool at the largest commitment allowed
        rest = sum((q['budget'] / (q['phi'] or 1) for q in pools[:-1]), F(0))
        pools[-1]['budget'] = F(int((MAX_AMOUNT - rest) * (pools[-1]['phi'] or 1) * 100), 100)

    floors = feature['floors']
    for r in rounds:
        amounts = [c['amount'] for c in cands if c['rid'] == r['id']]
        if limits:
            r['max_projects'] = rng.choice([0, 1, 1, 2, 2, 3])
        else:
            r['max_projects'] = rng.choice([0, 1, 1, 2, 2, 3, len(amounts), len(amounts) + 1, 100])
        if shape in ('wide', 'widefloor'):
            r['max_projects'] = rng.choice([1, 2, 2, 3, 3, 4])
        if (floors or shape == 'wide' and rng.random() < 0.3) and rng.random() < 0.6:
            r['min_projects'] = rng.randint(0, min(r['max_projects'], len(amounts) + (1 if rng.random() < 0.1 else 0)))
        if (floors or shape in ('faceprio', 'widefloor')) and rng.random() < 0.5 and amounts:
            drawn = rng.sample(amounts, rng.randint(1, min(len(amounts), max(1, r['max_projects']))))
            r['min_amount'] = max(F(0), F(sum(drawn), 100) + rng.choice([0, 0, F(1, 100), -F(1, 100)]))
        if limits or rng.random() < 0.2:
            for attribute in rng.sample(['industry', 'enterprise', 'jurisdiction', 'zone'], rng.randint(1, 2)):
                r['group_limits'].append({'attribute': attribute, 'max': rng.choice([0, 1, 1, 2])})
                if attribute == 'zone':
                    for p in projects:
                        p['attributes']['zone'] = rng.choice(['z1', 'z2'])

    committee = {'must_fund': [], 'exclude': [], 'dependencies': []}
    if feature['committee'] or rng.random() < 0.15:
        entry_list = [(p['id'], rid) for p in projects for rid in p['rounds']]
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            pid, rid = rng.choice(entry_list)
            committee['must_fund'].append({'project': pid, 'round': rid})
        for _ in range(rng.choice([0, 1, 2])):
            committee['exclude'].append(rng.choice(projects)['id'])
        for _ in range(rng.choice([0, 1, 2, 3])):
            a, b = rng.sample([p['id'] for p in projects], 2)
            committee['dependencies'].append({'kind': rng.choice(['requires', 'excludes']), 'project': a, 'other': b})
    if limits and rng.random() < 0.6 or rng.random() < 0.08:
        committee['enterprise_limit'] = rng.choice([0, 1, 1, 2])
    m['committee'] = committee

    m['priority'] = None
    if feature['priority'] or (shape in ('faceprio', 'widefloor') and rng.random() < 0.5):
        m['priority'] = rng.sample([r['id'] for r in rounds], rng.randint(1, len(rounds)))
    return m


def write(m, folder, rng):
    """Write the model as folder/scenario.toml, with the applications inline or in
    folder/applications.csv."""
    os.makedirs(folder, exist_ok=True)
    unit = m['unit']
    lines = ['[scenario]', f'name = {quote("case")}', f'unit = {quote("万元" if unit == "wan" else "yuan")}']
    for q in m['pools']:
        lines += ['', '[[pools]]', f'id = {quote(q["id"])}', f'budget = {money_literal(rng, q["budget"], unit)}']
        if q['phi'] is not None:
            lines.append(f'pro_rata_floor = {number_literal(rng, q["phi"])}')
    for r in m['rounds']:
        lines += ['', '[[rounds]]', f'id = {quote(r["id"])}', f'name = {quote(r["name"])}',
                  f'pool = {quote(r["pool"])}', f'max_projects = {r["max_projects"]}']
        if r.get('min_projects') is not None:
            lines.append(f'min_projects = {r["min_projects"]}')
        if r.get('min_amount') is not None:
            lines.append(f'min_amount = {money_literal(rng, r["min_amount"], unit)}')
        if r['group_limits']:
            lines.append('group_limits = [' + ', '.join(
                f'{{ attribute = {quote(g["attribute"])}, max = {g["max"]} }}' for g in r['group_limits']) + ']')
        e = r['elig']
        if e:
            lines.append('[rounds.eligibility]')
            for key in ['jurisdictions', 'industries', 'require_flags', 'exclude_flags']:
                if key in e:
                    lines.append(f'{key} = [' + ', '.join(quote(x) for x in e[key]) + ']')
            if 'min_investment' in e:
                lines.append(f'min_investment = {money_literal(rng, e["min_investment"], unit)}')
            if 'min_score' in e:
                lines.append(f'min_score = {number_literal(rng, e["min_score"])}')
        s = r['subsidy']
        lines.append('[rounds.subsidy]')
        if 'rate' in s:
            lines.append(f'rate = {number_literal(rng, s["rate"])}')
        else:
            lines.append(f'fixed = {money_literal(rng, s["fixed"], unit)}')
        if 'investment' in s:
            lines.append('investment = [' + ', '.join(quote(x) for x in s['investment']) + ']')
        if 'cap' in s:
            lines.append(f'cap = {money_literal(rng, s["cap"], unit)}')
        if s.get('uplifts'):
            lines.append('uplifts = [' + ', '.join(
                f'{{ flag = {quote(u["flag"])}, rate = {number_literal(rng, u["rate"])} }}' for u in s['uplifts']) + ']')
            lines.append(f'stacking = {quote(s["stacking"])}')
        if 'rounding' in s:
            lines.append(f'rounding = {quote(s["rounding"])}')
    if m['priority']:
        lines += ['', '[objective]', 'kind = "round_priority"',
                  'order = [' + ', '.join(quote(x) for x in m['priority']) + ']']
    lines += ['', '[scoring]']
    criteria = m['criteria']
    lines.append('criteria = [\n  ' + ',\n  '.join(
        f'{{ id = {quote(c["id"])}, name = {quote(c["name"])}, weight = {number_literal(rng, c["w"])}, '
        f'direction = {quote(c["direction"])}, normalization = {quote(c["norm"])} }}' for c in criteria) + '\n]')
    if m['bonus']:
        lines.append('bonus = [' + ', '.join(
            f'{{ flag = {quote(b["flag"])}, points = {number_literal(rng, b["points"])} }}' for b in m['bonus']) + ']')
    if m['min_score'] is not None:
        lines.append(f'min_score = {number_literal(rng, m["min_score"])}')
    com = m['committee']
    lines += ['', '[committee]',
              'must_fund = [' + ', '.join(f'{{ project = {quote(l["project"])}, round = {quote(l["round"])} }}'
                                          for l in com['must_fund']) + ']',
              'exclude = [' + ', '.join(quote(x) for x in com['exclude']) + ']',
              'dependencies = [' + ', '.join(
                  f'{{ kind = {quote(d["kind"])}, project = {quote(d["project"])}, other = {quote(d["other"])} }}'
                  for d in com['dependencies']) + ']']
    if com.get('enterprise_limit') is not None:
        lines.append(f'enterprise_limit = {com["enterprise_limit"]}')
    lines += ['', '[applications]', f'unit = {quote("万元" if m["app_unit"] == "wan" else "yuan")}']
    # applications may name a round by its id or its name
    round_name = {r['id']: r['name'] for r in m['rounds']}
    if m['csv']:
        lines.append('file = "applications.csv"')
        write_csv(m, os.path.join(folder, 'applications.csv'), rng, round_name)
    else:
        for p in m['projects']:
            lines += ['', '[[applications.projects]]', f'id = {quote(p["id"])}',
                      f'enterprise = {quote(p["enterprise"])}', f'industry = {quote(p["industry"])}',
                      f'jurisdiction = {quote(p["jurisdiction"])}',
                      'rounds = [' + ', '.join(quote(round_name[x] if rng.random() < 0.3 else x) for x in p['rounds']) + ']']
            for field, v in p['inv'].items():
                lines.append(f'{field} = {money_literal(rng, v, m["app_unit"])}')
            lines.append('flags = [' + ', '.join(quote(x) for x in sorted(p['flags'])) + ']')
            lines.append('scores = { ' + ', '.join(
                f'{quote(c["id"] if rng.random() < 0.6 else c["name"])} = {number_literal(rng, p["scores"][c["id"]])}'
                for c in criteria if c['id'] in p['scores']) + ' }')
            if p['attributes']:
                lines.append('attributes = { ' + ', '.join(f'{quote(k)} = {quote(v)}' for k, v in p['attributes'].items()) + ' }')
    with open(os.path.join(folder, 'scenario.toml'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')


def write_csv(m, path, rng, round_name):
    """The applications as CSV, with header aliases, unit suffixes and per-cell units."""
    criteria = m['criteria']
    has_zone = any('zone' in p['attributes'] for p in m['projects'])
    column_unit = {k: rng.choice([None, None, 'wan', 'yuan']) for k in INVESTMENTS}
    suffix = {None: '', 'wan': rng.choice(['(万元)', '（万元）', '(wan)']), 'yuan': rng.choice(['(元)', '（元）', '(CNY)'])}
    header_alias = {'equipment': rng.choice(['equipment', '设备投资', '新增设备投资']),
                    'technology': rng.choice(['technology', '技术投资']),
                    'software': rng.choice(['software', '软件投入'])}
    header = (['id', 'enterprise', 'industry', 'jurisdiction', 'rounds']
              + [header_alias[k] + suffix[column_unit[k]] for k in INVESTMENTS] + ['flags']
              + [c['name'] if rng.random() < 0.5 else c['id'] for c in criteria] + (['zone'] if has_zone else []))
    rows = [','.join(header)]
    for p in m['projects']:
        def amount_cell(field):
            if field not in p['inv']:
                return ''
            yuan = p['inv'][field]
            r = rng.random()
            if r < 0.15:
                return dec(yuan / 10000) + '万'
            if r < 0.25:
                return dec(yuan) + '元'
            unit = column_unit[field] or m['app_unit']
            value = yuan if unit == 'yuan' else yuan / 10000
            s = dec(value)
            if r < 0.4 and value >= 1000:
                whole, _, frac = s.partition('.')
                s = '"' + f"{int(whole):,}" + ('.' + frac if frac else '') + '"'
            return s
        entered = ';'.join(round_name[x] if rng.random() < 0.3 else x for x in p['rounds'])
        cells = ([p['id'], p['enterprise'], p['industry'], p['jurisdiction'], entered]
                 + [amount_cell(k) for k in INVESTMENTS] + [';'.join(sorted(p['flags']))]
                 + [dec(p['scores'][c['id']]) if c['id'] in p['scores'] else '' for c in criteria])
        if has_zone:
            cells.append(p['attributes'].get('zone', ''))
        rows.append(','.join(cells))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(rows) + '\n')


def make_case(seed, shape, max_entries, folder):
    """Case `seed`: a scenario of the shape written into `folder` (replacing what was there; a
    fifth of them as scenario.json), and about a third of the time random what-ifs.
    Returns (model, what-if arguments, why allot must refuse them or None); the model has the
    what-ifs applied. The same arguments give the same case on any machine."""
    rng = random.Random(seed)
    m = generate(rng, shape, max_entries)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    write(m, folder, rng)
    if rng.random() < 0.2:
        # the same scenario as JSON (the reader takes both)
        toml_path = os.path.join(folder, 'scenario.toml')
        with open(toml_path, 'rb') as f:
            document = tomllib.load(f)
        with open(os.path.join(folder, 'scenario.json'), 'w', encoding='utf-8') as f:
            json.dump(document, f, ensure_ascii=False, indent=1)
        os.remove(toml_path)
    if rng.random() < 0.35:
        args, refused = what_ifs(m, rng)
        return m, args, refused
    return m, [], None


def what_ifs(m, rng):
    """Random command-line what-ifs (--lock, --exclude, --set, --weight), applied to the model
    as docs/scenario-format.md (What-ifs on the command line) says allot applies them.
    Returns (arguments, why allot must refuse them or None)."""
    args = []
    refused = None
    weighted = False  # one --weight group per run: a criterion weighted twice is refused
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind >= 0.75 and weighted:
            kind = 0.1
        if not m['projects']:
            break
        if kind < 0.25:
            p = rng.choice(m['projects'])
            rid = rng.choice(p['rounds'])
            m['committee']['must_fund'].append({'project': p['id'], 'round': rid})
            # without a round only for a project that entered one
            args += ['--lock', f"{p['id']}:{rid}" if (len(p['rounds']) > 1 or rng.random() < 0.5) else p['id']]
        elif kind < 0.4:
            p = rng.choice(m['projects'])
            m['committee']['exclude'].append(p['id'])
            args += ['--exclude', p['id']]
        elif kind < 0.6:
            pool = rng.choice(m['pools'])
            budget = F(rng.randint(0, 10 ** 7), 100)
            # in the scenario's unit, or naming its own
            if m['unit'] == 'wan':
                value = '"' + dec(budget / 10000) + '"' if rng.random() < 0.5 else dec(budget) + '元'
            else:
                value = '"' + dec(budget) + '"' if rng.random() < 0.5 else dec(budget / 10000) + '万'
            pool['budget'] = budget
            args += ['--set', f"pools.{pool['id']}.budget={value}"]
        elif kind < 0.75:
            r = rng.choice(m['rounds'])
            r['max_projects'] = rng.randint(0, 4)
            args += ['--set', f"rounds.{r['id']}.max_projects={r['max_projects']}"]
        else:
            weighted = True
            criteria = m['criteria']
            named = rng.sample(criteria, rng.randint(1, len(criteria)))
            new = {c['id']: rng.choice([F(0), F(1, 2), F(1, 10), F(3), F(1)]) for c in named}
            for c in named:
                args += ['--weight', f"{c['id']}={dec(new[c['id']])}"]
            total = sum(c['w'] for c in criteria)
            named_sum = sum(new.values())
            others = [c for c in criteria if c['id'] not in new]
            others_sum = sum(c['w'] for c in others)
            if others_sum == 0:
                for c in named:  # used as given
                    c['w'] = new[c['id']]
            elif named_sum >= total:
                refused = '--weight: the named weights add up to the total or more'
            else:
                # exact products, no division: named w * U, others old * (T - W)
                for c in named:
                    c['w'] = new[c['id']] * others_sum
                for c in others:
                    c['w'] = c['w'] * (total - named_sum)
    return args, refused
