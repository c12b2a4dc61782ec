#!/usr/bin/env python3
"""Build resources/demo/demo.jsonl, the demo data bundled with Concord.

Run with:  /usr/bin/python3 resources/demo/make_demo.py

Standard library only. The document is source/*.txt joined in name order with a
blank line between files. Items live in items_a.py ... items_e.py; every offset
(evidence position, evidence spans) is computed here from the quote strings,
never typed by hand. Labels are simulated by simulate.py with a fixed seed.
Output is JSONL v1: rater lines, the document line, item lines, label lines,
then a few label revisions.
"""

import sys

sys.dont_write_bytecode = True  # keep resources/demo free of __pycache__

import datetime
import glob
import json
import os
import random
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import items_a, items_b, items_c, items_d, items_e  # noqa: E402
import simulate  # noqa: E402

DOC_ID = "harbourview-case-file"
DOC_TITLE = "Harbourview Wharf, Unit 3: commercial lease dispute case file"
OUT = os.path.join(HERE, "demo.jsonl")
SEED = 2026
TYPES = ["fact_recall", "definition", "summarization", "interpretation", "inference", "no_info"]

RATERS = [
    {"kind": "rater", "id": "alice", "rater_kind": "human", "name": "Alice Moreau"},
    {"kind": "rater", "id": "bob", "rater_kind": "human", "name": "Bob Okafor"},
    {"kind": "rater", "id": "judge:demo-model:3f9a1c", "rater_kind": "judge",
     "name": "Demo judge (illustrative)",
     "config": {"provider": "openai", "model": "demo-model", "temperature": 0,
                "note": "illustrative labels bundled with the demo"}},
]
JUDGE = RATERS[2]["id"]

# How each human tends to rate (see simulate.human_label).
PROFILES = {
    "alice": dict(pref_slip=0.11, pref_slip_hard=0.35, crit_slip=0.10, miss_subtle=0.30,
                  outcome_slip=0.012, evidence_rate=0.62, pace=1.0,
                  start=datetime.datetime(2026, 11, 20, 9, 4, 17)),
    "bob": dict(pref_slip=0.12, pref_slip_hard=0.40, crit_slip=0.14, miss_subtle=0.35,
                outcome_slip=0.012, evidence_rate=0.55, pace=1.15,
                start=datetime.datetime(2026, 11, 20, 13, 11, 40)),
}
JUDGE_START = datetime.datetime(2026, 11, 19, 18, 30, 5)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_text():
    paths = sorted(glob.glob(os.path.join(HERE, "source", "*.txt")))
    assert paths, "no source/*.txt files"
    parts = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            parts.append(f.read().replace("\r\n", "\n").strip("\n"))
    return "\n\n".join(parts)


def paragraph_around(text, start, end):
    """The paragraph (blank-line or line delimited block) containing [start, end)."""
    ps = text.rfind("\n", 0, start) + 1
    pe = text.find("\n", end)
    return ps, (len(text) if pe < 0 else pe)


def build_items(text):
    raw = items_a.ITEMS + items_b.ITEMS + items_c.ITEMS + items_d.ITEMS + items_e.ITEMS
    items, truths = [], {}
    n = len(text)
    for i, it in enumerate(raw, 1):
        iid = f"q-{i:03d}"
        answerable = it["type"] != "no_info"
        assert it["type"] in TYPES, (iid, it["type"])
        assert it["better"] in ("careful", "quick", "tie"), iid
        careful = {"system": "careful-v1", "text": it["careful"]}
        quick = {"system": "quick-v0", "text": it["quick"]}
        careful_slot, quick_slot = ("B", "A") if it["swap"] else ("A", "B")
        answers = {careful_slot: careful, quick_slot: quick}
        obj = {"kind": "item", "id": iid, "document": DOC_ID, "question": it["q"],
               "question_type": it["type"], "answerable": answerable}
        span = paragraph = None
        if answerable:
            quote = it["quote"]
            assert quote and quote in text, f"{iid}: quote not found in text: {quote[:60]!r}"
            assert text.count(quote) == 1, f"{iid}: quote occurs {text.count(quote)} times"
            start = text.index(quote)
            span = (start, start + len(quote))
            assert text[span[0]:span[1]] == quote
            paragraph = paragraph_around(text, *span)
            obj["evidence_position"] = round(start / n, 4)
            assert it["quick_out"] in ("answered", "declined_wrongly"), iid
        else:
            assert it["quote"] is None, iid
            assert it["quick_out"] in ("hallucinated", "declined_correctly"), iid
        obj["reference_answer"] = it["ref"]
        obj["answers"] = {"A": answers["A"], "B": answers["B"]}
        items.append(obj)

        slot_of = {"careful": careful_slot, "quick": quick_slot}
        quick_bad = (not it["quick_ok"]) or it["quick_out"] in ("declined_wrongly", "hallucinated")
        pref = "tie" if it["better"] == "tie" else slot_of[it["better"]]
        relevance = pref if (it["better"] == "quick" or (it["better"] == "careful" and quick_bad)) else "tie"
        if "comp" in it:
            comp = slot_of[it["comp"]]
        elif pref != "tie":
            comp = pref
        else:
            comp = simulate.longer_slot(obj, 0.8) or "tie"
        shorter = simulate.longer_slot(obj, 0.8)
        concise = simulate.OTHER[shorter] if shorter else "tie"
        truths[iid] = {
            "preference": pref,
            "criteria": {"relevance": relevance, "comprehensiveness": comp, "conciseness": concise},
            "faithful": {careful_slot: True, quick_slot: it["quick_ok"]},
            "no_info": {careful_slot: "answered" if answerable else "declined_correctly",
                        quick_slot: it["quick_out"]},
            "careful_slot": careful_slot,
            "hard": it.get("hard", False),
            "faith_hard": it.get("faith_hard", False),
            "notes": it.get("notes", {}),
            "span": span,
            "paragraph": paragraph,
        }
        assert not (it["quick_out"] == "hallucinated" and it["quick_ok"]), iid
    return items, truths


def time_spent_human(rng, item, pace):
    size = len(item["question"]) + sum(len(a["text"]) for a in item["answers"].values())
    t = 20 + size / 9 * rng.uniform(0.55, 1.6) * pace
    if not item["answerable"]:
        t += rng.uniform(15, 45)  # searching the file for something that is not there
    return int(max(30, min(240, round(t))))


def time_spent_judge(rng, item):
    size = len(item["question"]) + sum(len(a["text"]) for a in item["answers"].values())
    return round(max(2.0, min(9.0, 2 + size / 200 * rng.uniform(0.8, 1.2))), 1)


def label_line(item_id, rater, kind, facets, created, spent):
    line = {"kind": "label", "item": item_id, "rater": rater, "rater_kind": kind}
    for key in ("preference", "criteria", "faithful", "no_info", "evidence", "note"):
        if key in facets:
            line[key] = facets[key]
    line["created_at"] = iso(created)
    line["time_spent_s"] = spent
    return line


def build_labels(rng, items, truths):
    by_id = {it["id"]: it for it in items}
    lines, latest = [], {}
    for rater, prof in PROFILES.items():
        order = [it["id"] for it in items]
        rng.shuffle(order)  # each rater works through the queue in their own order
        t = prof["start"]
        for k, iid in enumerate(order):
            if k == len(order) // 2:
                t += datetime.timedelta(minutes=rng.randint(12, 25))  # coffee break
            facets = simulate.human_label(rng, rater, by_id[iid], truths[iid], prof)
            spent = time_spent_human(rng, by_id[iid], prof["pace"])
            t += datetime.timedelta(seconds=spent)
            lines.append(label_line(iid, rater, "human", facets, t, spent))
            latest[(rater, iid)] = facets
            t += datetime.timedelta(seconds=rng.randint(6, 50))
    t = JUDGE_START
    for it in items:
        facets = simulate.judge_label(rng, it, truths[it["id"]])
        spent = time_spent_judge(rng, it)
        t += datetime.timedelta(seconds=spent)
        lines.append(label_line(it["id"], JUDGE, "judge", facets, t, spent))
        latest[(JUDGE, it["id"])] = facets
        t += datetime.timedelta(milliseconds=rng.randint(300, 1500))
    initial = {k: dict(v) for k, v in latest.items()}
    return lines, latest, initial


def build_revisions(rng, items, truths, lines, latest):
    """Three or four later lines in which a rater changes one facet of a label."""
    ids = [it["id"] for it in items]
    last = max(datetime.datetime.strptime(l["created_at"], "%Y-%m-%dT%H:%M:%SZ") for l in lines)
    t = last + datetime.timedelta(minutes=37, seconds=12)
    revs, used = [], set()

    def pick(cands):
        cands = [c for c in cands if c not in used]
        return rng.choice(cands) if cands else None

    def add(rater, iid, facets):
        nonlocal t
        used.add(iid)
        spent = rng.randint(25, 90)
        t += datetime.timedelta(seconds=spent + rng.randint(60, 400))
        revs.append(label_line(iid, rater, "human", facets, t, spent))
        for key, value in facets.items():
            if key in ("faithful", "no_info"):
                latest[(rater, iid)][key] = {**latest[(rater, iid)][key], **value}
            elif key != "note":
                latest[(rater, iid)][key] = value

    L = lambda r, i: latest[(r, i)]  # noqa: E731
    iid = pick([i for i in ids if L("bob", i)["preference"] != truths[i]["preference"]
                and L("alice", i)["preference"] == truths[i]["preference"]])
    if iid:
        quick_slot = simulate.OTHER[truths[iid]["careful_slot"]]
        if truths[iid]["preference"] == "tie":
            note = "Re-read both answers against the file; neither is clearly better."
        elif not truths[iid]["faithful"][quick_slot]:
            note = "Changed after re-reading the quoted passage; the other answer misstates it."
        else:
            note = "Changed after re-reading: the other answer is longer but does not answer the question asked."
        add("bob", iid, {"preference": truths[iid]["preference"], "note": note})
    iid = pick([i for i in ids for s in "AB"
                if L("alice", i)["faithful"][s] and not truths[i]["faithful"][s]])
    if iid:
        slot = next(s for s in "AB" if L("alice", iid)["faithful"][s] and not truths[iid]["faithful"][s])
        add("alice", iid, {"faithful": {slot: False},
                           "note": f"Missed on the first pass: answer {slot} states a detail the file does not support."})
    iid = pick([i for i in ids for s in "AB" if L("bob", i)["no_info"][s] != truths[i]["no_info"][s]])
    if iid:
        slot = next(s for s in "AB" if L("bob", iid)["no_info"][s] != truths[iid]["no_info"][s])
        add("bob", iid, {"no_info": {slot: truths[iid]["no_info"][slot]},
                         "note": "Corrected the outcome; I had clicked the wrong option."})
    else:
        iid = pick([i for i in ids if L("bob", i)["criteria"]["comprehensiveness"]
                    != truths[i]["criteria"]["comprehensiveness"]])
        if iid:
            add("bob", iid, {"criteria": {"comprehensiveness": truths[iid]["criteria"]["comprehensiveness"]},
                             "note": "On reflection one answer covers noticeably more of the question."})
    iid = pick([i for i in ids if L("alice", i)["preference"] == "tie"
                and truths[i]["preference"] != "tie"])
    if iid:
        add("alice", iid, {"preference": truths[iid]["preference"],
                           "note": "Changed from tie after checking the source: the difference matters to a client."})
    return revs


def report(text, items, truths, initial, latest):
    print(f"document: {len(text)} code points, {len(text.split())} words")
    counts = Counter(it["question_type"] for it in items)
    print(f"items: {len(items)}  " + ", ".join(f"{t}={counts[t]}" for t in TYPES))
    swapped = sum(1 for it in items if it["answers"]["B"]["system"] == "careful-v1")
    print(f"careful-v1 in slot B: {swapped}/{len(items)} ({100 * swapped / len(items):.0f}%)")
    pos = sorted(it["evidence_position"] for it in items if "evidence_position" in it)
    bins = Counter(min(3, int(p * 4)) for p in pos)
    print("evidence positions by quartile: " + "  ".join(
        f"[{q / 4:.2f},{(q + 1) / 4:.2f}{']' if q == 3 else ')'}={bins[q]}" for q in range(4)))
    near = lambda c: sum(1 for p in pos if abs(p - c) <= 0.05)  # noqa: E731
    print(f"  near 0.25: {near(0.25)}, near 0.50: {near(0.5)}, near 0.75: {near(0.75)}, "
          f"start (<0.10): {sum(p < 0.1 for p in pos)}, end (>0.90): {sum(p > 0.9 for p in pos)}")
    ids = [it["id"] for it in items]
    for title, lab in (("initial labels", initial), ("after revisions", latest)):
        pref = {r: {i: lab[(r, i)]["preference"] for i in ids} for r in ("alice", "bob", JUDGE)}
        ab, _ = simulate.agreement(pref["alice"], pref["bob"], ids)
        ja, _ = simulate.agreement(pref[JUDGE], pref["alice"], ids)
        jb, _ = simulate.agreement(pref[JUDGE], pref["bob"], ids)
        both = [i for i in ids if pref["alice"][i] == pref["bob"][i]]
        jm, nm = simulate.agreement(pref[JUDGE], pref["alice"], both)
        print(f"preference agreement ({title}): alice-bob {ab:.1f}%, judge-alice {ja:.1f}%, "
              f"judge-bob {jb:.1f}%, judge-human consensus {jm:.1f}% (n={nm})")
    truth_pref = {i: truths[i]["preference"] for i in ids}
    for r in ("alice", "bob", JUDGE):
        acc, _ = simulate.agreement({i: initial[(r, i)]["preference"] for i in ids}, truth_pref, ids)
        fa = sum(initial[(r, i)]["faithful"][s] == truths[i]["faithful"][s] for i in ids for s in "AB")
        print(f"  {r}: preference matches truth {acc:.1f}%, faithful matches truth {100 * fa / (2 * len(ids)):.1f}%")
    longer = [i for i in ids if simulate.longer_slot(next(x for x in items if x["id"] == i))]
    jl = sum(1 for i in longer if initial[(JUDGE, i)]["preference"]
             == simulate.longer_slot(next(x for x in items if x["id"] == i)))
    hl = sum(1 for i in longer if initial[("alice", i)]["preference"]
             == simulate.longer_slot(next(x for x in items if x["id"] == i)))
    print(f"  longer answer preferred where lengths differ: judge {jl}/{len(longer)}, alice {hl}/{len(longer)}")


def main():
    rng = random.Random(SEED)
    text = build_text()
    items, truths = build_items(text)
    labels, latest, initial = build_labels(rng, items, truths)
    revisions = build_revisions(rng, items, truths, labels, latest)
    assert 3 <= len(revisions) <= 4, len(revisions)
    n = len(text)
    for line in labels + revisions:
        for e in line.get("evidence", []):
            assert 0 <= e["start"] < e["end"] <= n
    order = {"alice": 0, "bob": 1, JUDGE: 2}
    labels.sort(key=lambda l: (order[l["rater"]], l["created_at"]))
    document = {"kind": "document", "id": DOC_ID, "title": DOC_TITLE, "text": text,
                "meta": {"source": "written for Concord", "licence": "CC0-1.0"}}
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for obj in RATERS + [document] + items + labels + revisions:
            f.write(dumps(obj) + "\n")
    report(text, items, truths, initial, latest)
    print(f"labels: {len(labels)} + {len(revisions)} revisions; wrote {os.path.relpath(OUT, os.getcwd())}")


if __name__ == "__main__":
    main()
