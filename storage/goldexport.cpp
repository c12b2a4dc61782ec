#include "goldexport.h"

#include "jsonl.h"
#include "labelquery.h"
#include "labelrows.h"
#include "project.h"
#include "sqlite.h"

#include <map>
#include <set>

namespace concord::storage {

model::Status exportGold(Project &project, std::ostream &out)
{
    auto labels = readCurrentLabels(project);
    if (!labels)
        return labels.error();
    // Gold rater × item → the current values, in the label set's order.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<model::FacetValue>> gold;
    std::set<std::uint32_t> goldRaters;
    for (const model::CurrentLabel &l : labels->labels()) {
        if (labels->raters()[l.rater].kind != model::RaterKind::Gold)
            continue;
        goldRaters.insert(l.rater);
        gold[{l.rater, l.item}].push_back({l.facet, l.slot, std::string(model::valuesOf(l.facet)[l.value])});
    }
    for (std::uint32_t r : goldRaters) {
        model::Rater rater;
        rater.id = labels->raters()[r].id;
        rater.kind = model::RaterKind::Gold;
        out << model::toJsonLine(rater) << '\n';
    }
    std::set<std::uint32_t> items;
    for (const auto &[key, values] : gold)
        items.insert(key.second);
    std::set<std::string> documents;
    std::vector<model::Item> itemRecords;
    for (std::uint32_t i : items) {
        auto item = project.item(labels->items()[i].id);
        if (!item)
            return item.error();
        if (documents.insert(item->documentId).second) {
            auto document = project.document(item->documentId);
            if (!document)
                return document.error();
            out << model::toJsonLine(*document) << '\n';
        }
        itemRecords.push_back(std::move(*item));
    }
    for (const model::Item &item : itemRecords)
        out << model::toJsonLine(item) << '\n';
    // One line per decision in force: the revision that gave each current gold value, with that
    // revision's own reason (a lead decides facet by facet, each with its reason). Values one
    // revision gave together stay on one line; lines in the order the decisions were made.
    std::map<std::int64_t, model::LabelRevision> decisions;
    try {
        DecisionReader decisionOf(project.database());
        for (const auto &[key, values] : gold) {
            const std::string &rater = labels->raters()[key.first].id;
            const std::string &item = labels->items()[key.second].id;
            for (const model::FacetValue &v : values) {
                const auto decision = decisionOf(rater, item, v.facet, v.slot);
                if (!decision)
                    continue; // cannot happen: the value is current
                model::LabelRevision &label = decisions[decision->labelId];
                label.itemId = item;
                label.raterId = rater;
                label.raterKind = model::RaterKind::Gold;
                label.values.push_back(v);
                label.note = decision->note;
            }
        }
    } catch (const SqliteError &e) {
        return sqliteFailure(project.path(), e.code(), e.what());
    }
    for (const auto &[id, label] : decisions)
        out << model::toJsonLine(label) << '\n';
    out.flush();
    if (!out)
        return model::Error{model::Error::Code::Io, "writing the export failed (disk full?)"};
    return model::Ok{};
}

} // namespace concord::storage
