#include "labelquery.h"

#include "project.h"
#include "schema.h"
#include "sqlite.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace concord::storage {

namespace {

constexpr int kFirstFacetColumn = 3;

// The index labels_by_rater_item(rater_id, item_id) keeps equal keys in rowid order, so this
// walks the index without a sort, and each rater × item's revisions arrive oldest first: the last
// row that sets or withdraws (labels.cleared) a column decides its current value. One pass,
// instead of one GROUP BY per column (8 passes: about 5 s of SQLite time at a million rows,
// against 0.6 s). Built from kLabelColumns, constants only.
std::string currentLabelsSql()
{
    std::string sql = "SELECT rater_id, item_id, cleared";
    for (const LabelColumn &c : kLabelColumns)
        sql += std::string(", ") + c.column;
    return sql + " FROM labels ORDER BY rater_id, item_id, id";
}

constexpr std::string_view kRatersSql = "SELECT id, ext_id, kind FROM raters ORDER BY id";

constexpr std::string_view kItemsSql =
    "SELECT i.id, i.ext_id, i.question_type, i.evidence_position, a.system, b.system FROM items i "
    "LEFT JOIN answers a ON a.item_id = i.id AND a.slot = 'A' "
    "LEFT JOIN answers b ON b.item_id = i.id AND b.slot = 'B' ORDER BY i.id";

/// A deferred read transaction: the reads below see one snapshot of the project.
class ReadTransaction
{
public:
    explicit ReadTransaction(Database &db) : m_db(db) { m_db.exec("BEGIN"); }
    ~ReadTransaction()
    {
        try {
            m_db.exec("COMMIT");
        } catch (const SqliteError &) {
            // A read transaction has nothing to lose; the connection stays usable.
        }
    }
    ReadTransaction(const ReadTransaction &) = delete;
    ReadTransaction &operator=(const ReadTransaction &) = delete;

private:
    Database &m_db;
};

model::Error corrupt(const std::string &path, const std::string &why)
{
    return {model::Error::Code::Corrupt, path + ": " + why};
}

} // namespace

model::Result<model::LabelSet> readCurrentLabels(Project &project, const std::vector<model::Facet> &facets)
{
    const std::string &path = project.path();
    try {
        Database &db = project.database();
        ReadTransaction tx(db);
        model::LabelSet set;

        std::unordered_map<std::int64_t, std::uint32_t> raterIndex;
        Statement raters(db, kRatersSql);
        while (raters.step()) {
            const auto kind = model::parseRaterKind(raters.textView(2));
            if (!kind)
                return corrupt(path, "rater \"" + raters.text(1) + "\" has an unknown kind");
            auto index = set.addRater(raters.textView(1), *kind);
            if (!index)
                return corrupt(path, index.error().message);
            raterIndex.emplace(raters.int64(0), *index);
        }

        std::unordered_map<std::int64_t, std::uint32_t> itemIndex;
        Statement items(db, kItemsSql);
        while (items.step()) {
            model::ItemAttributes item;
            item.id = items.text(1);
            const auto type = model::parseQuestionType(items.textView(2));
            if (!type)
                return corrupt(path, "item \"" + item.id + "\" has an unknown question type");
            item.questionType = *type;
            item.evidencePosition = items.optionalReal(3);
            item.systems = {items.optionalText(4).value_or(""), items.optionalText(5).value_or("")};
            auto index = set.addItem(std::move(item));
            if (!index)
                return corrupt(path, index.error().message);
            itemIndex.emplace(items.int64(0), *index);
        }

        std::array<bool, kLabelColumns.size()> wanted{};
        std::array<std::vector<std::string_view>, kLabelColumns.size()> vocabulary;
        for (std::size_t c = 0; c < kLabelColumns.size(); ++c) {
            wanted[c] = facets.empty() ||
                        std::find(facets.begin(), facets.end(), kLabelColumns[c].facet) != facets.end();
            vocabulary[c] = model::valuesOf(kLabelColumns[c].facet);
        }

        Statement labels(db, currentLabelsSql());
        std::int64_t rater = -1, item = -1;
        std::array<int, kLabelColumns.size()> current{}; // value index, or -1 for none yet
        auto flush = [&]() -> model::Status {
            if (rater < 0)
                return model::Ok{};
            const auto r = raterIndex.find(rater);
            const auto i = itemIndex.find(item);
            if (r == raterIndex.end() || i == itemIndex.end())
                return corrupt(path, "a label refers to a rater or item that does not exist");
            for (std::size_t c = 0; c < kLabelColumns.size(); ++c) {
                if (current[c] < 0)
                    continue;
                auto added = set.add(model::CurrentLabel{r->second, i->second, kLabelColumns[c].facet,
                                                         kLabelColumns[c].slot,
                                                         static_cast<std::uint8_t>(current[c])});
                if (!added)
                    return corrupt(path, added.error().message);
            }
            return model::Ok{};
        };
        while (labels.step()) {
            const std::int64_t r = labels.int64(0), i = labels.int64(1);
            if (r != rater || i != item) {
                if (auto done = flush(); !done)
                    return done.error();
                rater = r;
                item = i;
                current.fill(-1);
            }
            const std::int64_t cleared = labels.int64(2);
            for (std::size_t c = 0; c < kLabelColumns.size(); ++c) {
                const int column = kFirstFacetColumn + static_cast<int>(c);
                if (!wanted[c])
                    continue;
                if (labels.isNull(column)) {
                    if (cleared & (std::int64_t(1) << c))
                        current[c] = -1; // withdrawn: no current label until set again
                    continue;
                }
                const std::string_view value = labels.textView(column);
                const auto &values = vocabulary[c];
                const auto v = std::find(values.begin(), values.end(), value);
                if (v == values.end())
                    return corrupt(path, "a label holds \"" + std::string(value) + "\", not a value of " +
                                             std::string(model::toString(kLabelColumns[c].facet)));
                current[c] = static_cast<int>(v - values.begin());
            }
        }
        if (auto done = flush(); !done)
            return done.error();
        return set;
    } catch (const SqliteError &e) {
        return sqliteFailure(path, e.code(), e.what());
    }
}

} // namespace concord::storage
