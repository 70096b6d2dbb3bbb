#!/usr/bin/env python3
"""A second generator of Quzhou-shaped rounds, written apart from `allot generate` (its own
distributions, drawn from the policy digest rather than from the bundled sample), so that the
speed figures are not measured only on rounds our own generator makes.

Usage: python3 benches/quzhou_like.py N SEED OUT_DIR [--ties] [--correlated] [--groups K]

What it varies from `allot generate`:
- almost every application is eligible (about 1.08 eligible pairs an application), as in the
  rounds the issue measured;
- budgets, round sizes and the intelligent round's per-industry limit all scale with N / 150
  (`--groups K` fixes the limit instead);
- expert scores are whole points from a panel's marks (`--ties`: whole points only, else one
  decimal), and with `--correlated` the scoring rewards the size of the investment, so the best
  projects are the expensive ones (the classic hard knapsack);
- subsidies are often at the cap (equal amounts), and two-round projects span both pools.

Writes OUT_DIR/scenario.toml and OUT_DIR/applications.csv. Not part of CI: a measuring tool for
BENCHMARKS.md (see `benches/shapes.sh`).
"""

import math
import os
import random
import sys

KEY = ["数字经济", "新材料", "新能源", "高端装备", "电子信息", "生命健康", "特种纸"]
OTHER = ["纺织服装", "建材"]
HEADER = ("项目编号,项目名称,企业名称,所属产业,属地,申报类别,设备投资(万元),技术投资(万元),"
          "软件投资(万元),发明专利产业化,亩产效益A类,龙头/标杆企业,省部属非制造业企业,"
          "技术先进性,经济效益,带动就业,智能化水平")


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    n, seed, out = int(args[0]), int(args[1]), args[2]
    ties = "--ties" in flags
    correlated = "--correlated" in flags
    groups = None
    if "--groups" in argv:
        groups = int(argv[argv.index("--groups") + 1])
    rng = random.Random(seed * 7919 + n)
    f = n / 150.0
    os.makedirs(out, exist_ok=True)
    rows = [HEADER]
    for i in range(1, n + 1):
        u = rng.random()
        if u < 0.05:
            rounds = "intelligent;major"
        elif u < 0.12:
            rounds = "intelligent"
        elif u < 0.155:
            rounds = "major;upgrade"
        elif u < 0.50:
            rounds = "major"
        else:
            rounds = "upgrade"
        base = {"intelligent": 2500.0, "major": 1800.0, "upgrade": 600.0}[rounds.split(";")[0]]
        # Investment: a gamma-like spread around the round's typical size, some at the cap.
        eq = base * rng.gammavariate(2.0, 0.6)
        eq = max(eq, base * 0.35)
        tech = eq * rng.uniform(0.02, 0.25)
        soft = eq * rng.uniform(0.0, 0.10)
        total = eq + tech + soft

        def mark(mu, sd):
            x = min(99.0, max(40.0, rng.gauss(mu, sd)))
            return float(round(x)) if ties else round(x, 1)

        if correlated:
            size = math.log(total / base + 0.2)
            tech_score = mark(78 + 8 * size, 4)
            smart = mark(76 + 8 * size, 4)
            benefit = round(total / 40.0 * rng.uniform(0.8, 1.2), 2)
            jobs = int(total / 25.0 * rng.uniform(0.8, 1.2)) + 1
        else:
            tech_score = mark(80, 7)
            smart = mark(78, 8)
            benefit = round(rng.uniform(5, 80), 2)
            jobs = rng.randint(5, 400)
        industry = rng.choice(KEY) if rng.random() < 0.96 else rng.choice(OTHER)
        place = "市本级" if rng.random() < 0.97 else "柯城区"
        yes = lambda p: "是" if rng.random() < p else "否"
        rows.append(
            f"Q{i:05d},项目{i},企业{rng.randrange(max(1, n * 9 // 10))}号有限公司,{industry},{place},"
            f"{rounds},{eq:.2f},{tech:.2f},{soft:.2f},{yes(0.2)},{yes(0.25)},{yes(0.1)},{yes(0.01)},"
            f"{tech_score},{benefit},{jobs},{smart}"
        )
    with open(os.path.join(out, "applications.csv"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    limit = groups if groups is not None else max(1, round(f))
    with open(os.path.join(out, "scenario.toml"), "w", encoding="utf-8") as fh:
        fh.write(scenario_toml(n, seed, f, limit))


# (id, pool, places at 150 applications, rate, cap, key industries only, uplifts)
ROUNDS = [
    ("intelligent", "key", 5, "0.15", "5000000", True, []),
    ("major", "key", 20, "0.10", "3000000", True, []),
    ("upgrade", "upgrade", 20, "0.08", "1000000", False, ["patent_industrialization", "class_a"]),
]
# (id, CSV column, weight, normalization)
CRITERIA = [
    ("tech", "技术先进性", "0.35", "as_is"),
    ("benefit", "经济效益", "0.30", "min_max"),
    ("jobs", "带动就业", "0.15", "min_max"),
    ("smart", "智能化水平", "0.20", "as_is"),
]


def scenario_toml(n, seed, f, limit):
    """The policy's pools and rounds scaled by f = n / 150; the intelligent round's
    per-industry limit is `limit`."""
    parts = [
        f'[scenario]\nname = "Quzhou-shaped round from benches/quzhou_like.py, {n} applications, '
        f'seed {seed}"\nunit = "yuan"\n',
        '[applications]\nfile = "applications.csv"\nunit = "万元"\n',
        f'[[pools]]\nid = "key"\nbudget = "{int(30_000_000 * f)}"\n',
        f'[[pools]]\nid = "upgrade"\nbudget = "{int(10_000_000 * f)}"\n',
    ]
    key_list = ", ".join(f'"{k}"' for k in KEY)
    for rid, pool, places, rate, cap, key_only, uplifts in ROUNDS:
        text = f'[[rounds]]\nid = "{rid}"\npool = "{pool}"\nmax_projects = {max(1, round(places * f))}\n\n'
        text += "[rounds.eligibility]\n"
        if key_only:
            text += f"industries = [{key_list}]\n"
        text += 'jurisdictions = ["市本级"]\nexclude_flags = ["state_owned_non_manufacturing"]\n\n'
        if rid == "intelligent":
            text += f'[[rounds.group_limits]]\nattribute = "industry"\nmax = {limit}\n\n'
        text += (f'[rounds.subsidy]\nrate = "{rate}"\n'
                 'investment = ["equipment", "technology", "software"]\n'
                 f'cap = "{cap}"\nrounding = "yuan"\n')
        for flag in uplifts:
            text += f'\n[[rounds.subsidy.uplifts]]\nflag = "{flag}"\nrate = "0.02"\n'
        parts.append(text)
    for cid, name, weight, norm in CRITERIA:
        parts.append(f'[[scoring.criteria]]\nid = "{cid}"\nname = "{name}"\nweight = "{weight}"\n'
                     f'normalization = "{norm}"\n')
    return "\n".join(parts)


if __name__ == "__main__":
    main(sys.argv[1:])
