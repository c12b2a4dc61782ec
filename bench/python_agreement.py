#!/usr/bin/python3
"""Reference for bench/bench-2-agreement.sh: the agreement numbers of `concord agreement` that the
Python scientific stack computes, on the same current labels of a Concord project, with
scikit-learn `cohen_kappa_score`, statsmodels `cohens_kappa` (from the confusion table) and
statsmodels `fleiss_kappa`. Run with Debian's python (python3-sklearn, python3-statsmodels):

    /usr/bin/python3 bench/python_agreement.py PROJECT.concord [--facets preference,faithful]

Reads the labels with sqlite3 (the current label of a rater x item x facet column is the value in
the newest row that sets or withdraws it, as docs/format.md and storage/labelquery.cpp define),
then for each facet compares the same pairs as the report: every two humans, every judge with
every human, and the strict human majority with every judge; and Fleiss' kappa over the units
every human labelled. Units: one per item for preference, one per answer (item x slot, both slots
pooled) for faithful.

Prints one JSON object: the kappas by facet and pair (for the bench to check against Concord's),
"compute_s", the seconds spent computing (after the labels are in memory), and "read_s".
"""

import argparse
import json
import sqlite3
import sys
import time

import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

# Facet -> (label columns with their bit in labels.cleared, vocabulary in Concord's order).
FACETS = {
    "preference": ([("preference", 0)], ["A", "B", "tie"]),
    "faithful": ([("faithful_a", 4), ("faithful_b", 5)], ["faithful", "unfaithful"]),
}
KIND_ORDER = {"human": 0, "judge": 1, "gold": 2}


def read_current(db, facets):
    """rater ids by kind, and per facet a raters x units int8 matrix (-1: no current label)."""
    raters = db.execute("SELECT id, ext_id, kind FROM raters").fetchall()
    items = [row[0] for row in db.execute("SELECT id FROM items ORDER BY id")]
    item_index = {item: i for i, item in enumerate(items)}
    rater_index = {rid: r for r, (rid, _, _) in enumerate(raters)}
    columns = [(facet, slot, column, bit, {v: i for i, v in enumerate(FACETS[facet][1])})
               for facet in facets for slot, (column, bit) in enumerate(FACETS[facet][0])]
    matrices = {facet: np.full((len(raters), len(items) * len(FACETS[facet][0])), -1, dtype=np.int8)
                for facet in facets}
    sql = "SELECT rater_id, item_id, cleared, %s FROM labels ORDER BY id" % ", ".join(c[2] for c in columns)
    for row in db.execute(sql):
        r = rater_index[row[0]]
        i = item_index[row[1]]
        cleared = row[2]
        for c, (facet, slot, _, bit, codes) in enumerate(columns):
            value = row[3 + c]
            width = len(FACETS[facet][0])
            if value is not None:
                matrices[facet][r, i * width + slot] = codes[value]
            elif cleared & (1 << bit):
                matrices[facet][r, i * width + slot] = -1
    by_kind = {}
    for r, (_, ext_id, kind) in enumerate(raters):
        by_kind.setdefault(kind, []).append((ext_id, r))
    for kind in by_kind:
        by_kind[kind].sort()
    return by_kind, matrices


def pair_kappa(x, y, k):
    """sklearn's and statsmodels' kappa of two label vectors over the units both labelled."""
    both = (x >= 0) & (y >= 0)
    a, b = x[both], y[both]
    if len(a) == 0:
        return None
    sk = cohen_kappa_score(a, b, labels=list(range(k)))
    table = np.bincount(a.astype(np.int64) * k + b, minlength=k * k).reshape(k, k)
    sm = cohens_kappa(table)
    return {"n": int(len(a)), "sklearn_kappa": float(sk), "kappa": float(sm.kappa),
            "std_kappa": float(sm.std_kappa), "kappa_ci95": [float(sm.kappa_low), float(sm.kappa_upp)]}


def majority(humans, k):
    """Per unit, the category more than half of the humans who labelled it chose, else -1."""
    labelled = (humans >= 0).sum(axis=0)
    counts = np.stack([(humans == c).sum(axis=0) for c in range(k)])
    winner = np.argmax(counts, axis=0)
    has = 2 * counts.max(axis=0) > labelled
    return np.where(has & (labelled > 0), winner, -1).astype(np.int8)


def compute(by_kind, matrices):
    out = {}
    for facet, m in matrices.items():
        k = len(FACETS[facet][1])
        present = [(rid, r) for kind in ("human", "judge") for rid, r in by_kind.get(kind, [])
                   if (m[r] >= 0).any()]
        humans = [(rid, r) for rid, r in present if rid in dict(by_kind.get("human", []))]
        judges = [(rid, r) for rid, r in present if rid in dict(by_kind.get("judge", []))]
        pairs = {}
        for i, (ha, ra) in enumerate(humans):
            for hb, rb in humans[i + 1:]:
                pairs[ha + " / " + hb] = pair_kappa(m[ra], m[rb], k)
        for j, rj in judges:
            for h, rh in humans:
                pairs[j + " / " + h] = pair_kappa(m[rj], m[rh], k)
        human_rows = m[[r for _, r in humans]]
        maj = majority(human_rows, k)
        for j, rj in judges:
            pairs["majority / " + j] = pair_kappa(maj, m[rj], k)
        complete = human_rows[:, (human_rows >= 0).all(axis=0)].T  # units x raters
        table, _ = aggregate_raters(complete, n_cat=k)
        out[facet] = {"pairs": pairs, "fleiss_kappa": float(fleiss_kappa(table, method="fleiss")),
                      "fleiss_units": int(len(complete))}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project")
    parser.add_argument("--facets", default="preference,faithful")
    args = parser.parse_args()
    facets = args.facets.split(",")
    start = time.perf_counter()
    db = sqlite3.connect("file:%s?mode=ro" % args.project, uri=True)
    by_kind, matrices = read_current(db, facets)
    db.close()
    read_done = time.perf_counter()
    result = compute(by_kind, matrices)
    done = time.perf_counter()
    json.dump({"facets": result, "read_s": read_done - start, "compute_s": done - read_done}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
