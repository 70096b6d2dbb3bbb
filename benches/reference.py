#!/usr/bin/env python3
"""The reference solves the speed targets are measured against: the model `allot export --lp`
writes, re-solved in-process by highspy and by PuLP + CBC to two levels (the best total score, then
the least total subsidy among portfolios of that score). Prints one line per solver:

    solver  seconds  score  subsidy_yuan

With `highs3`, highspy goes on to the third level (the portfolio funding the earliest pair in which
two of the face differ, fixed column by column: `tie_break`) and the line ends with the funded
columns, to compare with allot's portfolio.

Usage: python3 benches/reference.py MODEL.lp|MODEL.mps [highs|highs3|cbc ...]  (cbc needs the MPS file)
Install: pip install highspy pulp  (only for measuring; allot does not need them)

The subsidy of a column is its coefficient in the `pool_*` row it appears in (every column enters
exactly one pool row, in yuan). Times cover reading nothing: the LP file is parsed before the
clock starts, as an in-process solve of an already-built model would be.
"""

import sys
import time


def pool_amounts(h):
    """Column index -> amount (yuan), from the pool rows of a loaded highspy model."""
    lp = h.getLp()
    names = [h.getRowName(i)[1] for i in range(lp.num_row_)]
    amounts = [0.0] * lp.num_col_
    matrix = lp.a_matrix_
    for j in range(lp.num_col_):
        for k in range(matrix.start_[j], matrix.start_[j + 1]):
            if names[matrix.index_[k]].startswith("pool_"):
                amounts[j] = matrix.value_[k]
    return amounts


def highs(path, third=False):
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.readModel(path)
    lp = h.getLp()
    score = list(lp.col_cost_)
    amounts = pool_amounts(h)
    t = time.perf_counter()
    h.run()
    best = h.getInfo().objective_function_value
    n = lp.num_col_
    idx = np.arange(n, dtype=np.int32)
    h.addRow(best - 5e-5, highspy.kHighsInf, n, idx, np.array(score))
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.changeColsCost(n, idx, np.array(amounts))
    h.run()
    least = h.getInfo().objective_function_value
    if third:
        funded = tie_break(h, n, idx, amounts, least, score)
        return time.perf_counter() - t, best, least, funded
    return time.perf_counter() - t, best, least


def tie_break(h, n, idx, amounts, least, score):
    """The third level, plainly: on the face (the best score, the least subsidy), fix the columns in
    the file's order (allot writes them in its tie-break order: project id, then round), each to 1
    when some face portfolio agreeing with the columns fixed so far funds it. A column the last
    face portfolio found funds needs no question. Returns the funded column names."""
    import highspy
    import numpy as np

    h.addRow(-highspy.kHighsInf, least + 0.5, n, idx, np.array(amounts))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.changeColsCost(n, idx, np.array(score))
    current = [v > 0.5 for v in h.getSolution().col_value]
    for j in range(n):
        if not current[j]:
            h.changeColBounds(j, 1.0, 1.0)
            h.run()
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                current = [v > 0.5 for v in h.getSolution().col_value]
        h.changeColBounds(j, *((1.0, 1.0) if current[j] else (0.0, 0.0)))
    return [h.getColName(j)[1] for j in range(n) if current[j]]


def cbc(path):
    import pulp

    _, problem = pulp.LpProblem.fromMPS(path) if path.endswith(".mps") else (None, None)
    if problem is None:
        raise SystemExit("cbc: pass the MPS file (allot export --mps)")
    variables = {v.name: v for v in problem.variables()}
    # PuLP reads the MPS file as a minimization of the negated score: turn it back.
    sign = -1 if problem.sense == pulp.LpMinimize else 1
    score = {v: sign * a for v, a in problem.objective.items()}
    problem.sense = pulp.LpMaximize
    problem.setObjective(pulp.lpSum(a * v for v, a in score.items()))
    amounts = {}
    for name, row in problem.constraints.items():
        if name.startswith("pool_"):
            for v, a in row.items():
                amounts[v.name] = a
    t = time.perf_counter()
    problem.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=0, threads=1))
    best = pulp.value(problem.objective)
    problem += pulp.lpSum(a * v for v, a in score.items()) >= best - 5e-5, "keep_score"
    problem.sense = pulp.LpMinimize
    problem.setObjective(pulp.lpSum(amounts.get(n, 0) * v for n, v in variables.items()))
    problem.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=0, threads=1))
    least = pulp.value(problem.objective)
    return time.perf_counter() - t, best, least


def main():
    path = sys.argv[1]
    for solver in sys.argv[2:] or ["highs"]:
        if solver == "highs3":
            seconds, best, least, funded = highs(path, third=True)
            print(f"{solver}\t{seconds:.3f}\t{best:.4f}\t{least:.0f}\t{' '.join(funded)}")
            continue
        seconds, best, least = {"highs": highs, "cbc": cbc}[solver](path)
        print(f"{solver}\t{seconds:.3f}\t{best:.4f}\t{least:.0f}")


if __name__ == "__main__":
    main()
