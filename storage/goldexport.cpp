#include "goldexport.h"

#include "jsonl.h"
#include "labelquery.h"
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
    // The adjudication's note is the one of the newest revision that carries one (an empty note
    // clears it), as model::apply() reads a label's history.
    std::optional<Statement> note;
    try {
        note.emplace(
            project.database(),
            "SELECT l.note FROM labels l WHERE l.rater_id = (SELECT id FROM raters WHERE ext_id = ?) "
            "AND l.item_id = (SELECT id FROM items WHERE ext_id = ?) AND l.note IS NOT NULL "
            "ORDER BY l.id DESC LIMIT 1");
    } catch (const SqliteError &e) {
        return sqliteFailure(project.path(), e.code(), e.what());
    }
    for (const auto &[key, values] : gold) {
        model::LabelRevision label;
        label.itemId = labels->items()[key.second].id;
        label.raterId = labels->raters()[key.first].id;
        label.raterKind = model::RaterKind::Gold;
        label.values = values;
        try {
            note->reset();
            note->bind(1, label.raterId).bind(2, label.itemId);
            if (note->step() && !note->textView(0).empty())
                label.note = note->text(0);
        } catch (const SqliteError &e) {
            return sqliteFailure(project.path(), e.code(), e.what());
        }
        out << model::toJsonLine(label) << '\n';
    }
    out.flush();
    if (!out)
        return model::Error{model::Error::Code::Io, "writing the export failed (disk full?)"};
    return model::Ok{};
}

} // namespace concord::storage
