#!/usr/bin/env python3
"""Reference importer for scripts/bench: plain `json` + `sqlite3`, doing the same inserts as
`concord import` into a project made by `concord new` (same schema, same pragmas), with no
validation beyond what json.loads does. Usage: python_import.py [--bulk] PROJECT.concord FILE.jsonl

--bulk loads the way `concord import` loads a large file into an empty project: foreign keys not
checked, a rollback journal instead of the WAL, the items and labels indexes dropped and built again
before the commit. Without it, the plain way: every row checked and written through the WAL."""
import hashlib
import json
import sqlite3
import sys
from datetime import datetime, timezone

COLUMNS = {"preference": "preference", "relevance": "relevance", "comprehensiveness": "comprehensiveness",
           "conciseness": "conciseness"}


def main(project, path, bulk=False):
    db = sqlite3.connect(project, isolation_level=None)
    db.execute("PRAGMA journal_mode = %s" % ("DELETE" if bulk else "WAL"))
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = %s" % ("OFF" if bulk else "ON"))
    db.execute("PRAGMA cache_size = -262144")
    db.execute("BEGIN IMMEDIATE")
    indexes = []
    if bulk:
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                             " AND tbl_name IN ('items', 'labels') ORDER BY name").fetchall()
        for name, _ in indexes:
            db.execute('DROP INDEX "%s"' % name)
    data = open(path, "rb").read()
    file_hash = hashlib.sha256(data).hexdigest()
    cur = db.execute("INSERT INTO imports(imported_at, documents_added, documents_unchanged, items_added,"
                     " items_unchanged, labels_added, labels_unchanged) VALUES (?,0,0,0,0,0,0)",
                     (datetime.now(timezone.utc).isoformat(),))
    import_id = cur.lastrowid
    db.execute("INSERT INTO import_files VALUES (?,?,?,?)", (import_id, path, file_hash, len(data)))
    docs, items, raters = {}, {}, {}
    for raw in data.splitlines():
        if not raw.strip():
            continue
        o = json.loads(raw)
        kind = o["kind"]
        if kind == "rater":
            cur = db.execute("INSERT INTO raters(ext_id, kind, name, config) VALUES (?,?,?,?)",
                             (o["id"], o["rater_kind"], o.get("name"),
                              json.dumps(o["config"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                              if "config" in o else None))
            raters[o["id"]] = cur.lastrowid
        elif kind == "document":
            text = o["text"]
            h = hashlib.sha256(text.encode()).hexdigest()
            db.execute("INSERT INTO document_texts(hash, text, length) VALUES (?,?,?) ON CONFLICT DO NOTHING",
                       (h, text, len(text)))
            tid = db.execute("SELECT id FROM document_texts WHERE hash = ?", (h,)).fetchone()[0]
            cur = db.execute("INSERT INTO documents(ext_id, title, text_id, meta, record_hash) VALUES (?,?,?,?,?)",
                             (o["id"], o.get("title"), tid, None, hashlib.sha256(raw).hexdigest()))
            docs[o["id"]] = cur.lastrowid
        elif kind == "item":
            qt = o["question_type"]
            cur = db.execute("INSERT INTO items(ext_id, document_id, question, question_type, answerable,"
                             " evidence_position, reference_answer, meta, record_hash) VALUES (?,?,?,?,?,?,?,?,?)",
                             (o["id"], docs[o["document"]], o["question"], qt,
                              1 if o.get("answerable", qt != "no_info") else 0, o.get("evidence_position"),
                              o.get("reference_answer"), None, hashlib.sha256(raw).hexdigest()))
            iid = cur.lastrowid
            items[o["id"]] = iid
            for slot in ("A", "B"):
                a = o["answers"][slot]
                db.execute("INSERT INTO answers VALUES (?,?,?,?)", (iid, slot, a["system"], a["text"]))
        elif kind == "label":
            if o["rater"] not in raters:
                cur = db.execute("INSERT INTO raters(ext_id, kind) VALUES (?,?)",
                                 (o["rater"], o.get("rater_kind", "human")))
                raters[o["rater"]] = cur.lastrowid
            values = {}
            if "preference" in o:
                values["preference"] = o["preference"]
            for k, v in o.get("criteria", {}).items():
                values[COLUMNS[k]] = v
            for slot, v in o.get("faithful", {}).items():
                values["faithful_" + slot.lower()] = "faithful" if v else "unfaithful"
            for slot, v in o.get("no_info", {}).items():
                values["no_info_" + slot.lower()] = v
            cols = ["rater_id", "item_id", "created_at", "time_spent_s", "note", "has_evidence", "shown_order",
                    "import_id", "key"] + list(values)
            row = [raters[o["rater"]], items[o["item"]], o.get("created_at"), o.get("time_spent_s"),
                   o.get("note"), 1 if "evidence" in o else 0, o.get("shown"), import_id,
                   hashlib.sha256(raw).digest()[:16]] + list(values.values())
            cur = db.execute("INSERT INTO labels(%s) VALUES (%s)" % (",".join(cols), ",".join("?" * len(cols))), row)
            for seq, e in enumerate(o.get("evidence", [])):
                db.execute("INSERT INTO evidence VALUES (?,?,?,?,?,?)",
                           (cur.lastrowid, seq, e["answer"], e["start"], e["end"], e.get("note")))
    for _, sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    if bulk:
        db.execute("PRAGMA journal_mode = WAL")
    db.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    bulk = "--bulk" in args
    args = [a for a in args if a != "--bulk"]
    main(args[0], args[1], bulk)
