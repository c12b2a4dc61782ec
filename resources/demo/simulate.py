"""Simulated labels for the bundled demo: two human raters and one LLM judge.

Every label is derived from the per-item "truth" recorded with the item data
(which answer is better, which answers are faithful, what the no_info outcome
is), then perturbed the way real raters disagree:

* humans follow the truth most of the time; on items marked ``hard`` they slip
  more often, usually to "tie"; subtle hallucinations (``faith_hard``) are
  sometimes missed; very rarely a no_info outcome is mislabelled;
* the judge prefers the longer answer whenever the truth does not clearly
  favour the other one (verbosity bias) and misses some subtle hallucinations.

All randomness comes from the ``random.Random`` passed in, so the output is
reproducible.
"""

OTHER = {"A": "B", "B": "A"}
SLIP_OUTCOME = {  # what a careless rater picks instead of the true outcome
    "answered": "hallucinated",
    "declined_wrongly": "declined_correctly",
    "hallucinated": "answered",
    "declined_correctly": "declined_wrongly",
}


def longer_slot(item, ratio=0.85):
    """The slot whose answer is clearly longer, or None if they are similar."""
    la = len(item["answers"]["A"]["text"])
    lb = len(item["answers"]["B"]["text"])
    if min(la, lb) < ratio * max(la, lb):
        return "A" if la > lb else "B"
    return None


def slip_choice(rng, true, item):
    """A plausible wrong A/B/tie choice."""
    if true == "tie":
        return longer_slot(item) or rng.choice("AB")
    return "tie" if rng.random() < 0.7 else OTHER[true]


def human_label(rng, rater, item, truth, profile):
    """One human label for one item, as a dict of facets (no metadata yet)."""
    hard = truth["hard"]
    p_pref = profile["pref_slip_hard"] if hard else profile["pref_slip"]
    pref = truth["preference"]
    if rng.random() < p_pref:
        pref = slip_choice(rng, pref, item)

    criteria = {}
    for name, value in truth["criteria"].items():
        if rng.random() < profile["crit_slip"]:
            value = slip_choice(rng, value, item)
        criteria[name] = value

    faithful = {}
    for slot in "AB":
        value = truth["faithful"][slot]
        if not value and truth["faith_hard"]:
            roll = rng.random()
            if roll < profile["miss_subtle"]:
                # the subtle slip goes unnoticed, except on no_info items, where
                # the rater is already searching the file for the claimed fact
                value = truth["span"] is not None
            elif rng.random() < 0.015:
                value = not value
        elif rng.random() < 0.015:
            value = not value
        faithful[slot] = value

    no_info = {}
    for slot in "AB":
        value = truth["no_info"][slot]
        if rng.random() < profile["outcome_slip"]:
            value = SLIP_OUTCOME[value]
        no_info[slot] = value

    label = {"preference": pref, "criteria": criteria, "faithful": faithful, "no_info": no_info}
    if truth["span"] and rng.random() < profile["evidence_rate"]:
        label["evidence"] = evidence_spans(rng, item, truth)
    note = truth["notes"].get(rater)
    if note:
        label["note"] = note
    return label


def evidence_spans(rng, item, truth):
    """Spans of the supporting passage, attached to the answer(s) it supports."""
    start, end = truth["span"]
    if rng.random() < 0.35:  # some raters highlight the whole paragraph
        start, end = truth["paragraph"]
    supported = [s for s in "AB" if truth["faithful"][s] and truth["no_info"][s] == "answered"]
    careful = truth["careful_slot"]
    if len(supported) == 2 and rng.random() < 0.2:
        slots = ["A", "B"]
    elif len(supported) == 2 and truth["preference"] != careful and rng.random() < 0.4:
        slots = [OTHER[careful]]
    else:
        slots = [careful]
    return [{"answer": s, "start": start, "end": end} for s in slots]


def judge_label(rng, item, truth):
    """One label from the illustrative LLM judge, biased towards longer answers."""
    longer = longer_slot(item)
    pref = truth["preference"]
    rationale = None
    if longer is not None and pref != longer:
        if rng.random() < 0.7:
            pref = longer
            if rng.random() < 0.35:
                rationale = f"Answer {longer} is more thorough and gives more context."
    elif longer is not None:
        if rng.random() < 0.07:
            pref = "tie"
    elif rng.random() < 0.25:
        pref = slip_choice(rng, pref, item)

    criteria = dict(truth["criteria"])
    if longer is not None:
        criteria["comprehensiveness"] = longer
        if rng.random() < 0.3:
            criteria["relevance"] = longer

    faithful = {}
    for slot in "AB":
        value = truth["faithful"][slot]
        if not value and truth["faith_hard"] and rng.random() < 0.45:
            value = truth["span"] is not None  # never on no_info items
        elif not value and slot == longer and rng.random() < 0.2 and truth["span"] is not None:
            value = True
        faithful[slot] = value

    label = {"preference": pref, "criteria": criteria, "faithful": faithful,
             "no_info": dict(truth["no_info"])}
    if rationale:
        label["note"] = rationale
    return label


def agreement(a, b, keys):
    """Percent of keys on which two {item: value} maps agree."""
    keys = [k for k in keys if k in a and k in b]
    if not keys:
        return float("nan"), 0
    same = sum(1 for k in keys if a[k] == b[k])
    return 100.0 * same / len(keys), len(keys)
