#include "labelquery.h"

#include "project.h"
#include "schema.h"
#include "sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace concord::storage {

namespace {

constexpr std::size_t kColumns = kLabelColumns.size();
using Wanted = std::array<bool, kColumns>;

constexpr std::string_view kRatersSql = "SELECT id, ext_id, kind, name FROM raters ORDER BY id";

model::Error corrupt(const std::string &path, const std::string &why)
{
    return {model::Error::Code::Corrupt, path + ": " + why};
}

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

/// The index of `value` in the facet column's vocabulary, or -1. Runs once per label value read.
int valueIndex(std::size_t column, std::string_view value)
{
    struct Vocabulary
    {
        std::size_t size = 0;
        std::array<std::string_view, 8> values;
    };
    static const auto vocabularies = [] {
        std::array<Vocabulary, kColumns> out{};
        for (std::size_t c = 0; c < kColumns; ++c) {
            const auto values = model::valuesOf(kLabelColumns[c].facet);
            out[c].size = std::min(values.size(), out[c].values.size());
            std::copy_n(values.begin(), out[c].size, out[c].values.begin());
        }
        return out;
    }();
    const Vocabulary &v = vocabularies[column];
    for (std::size_t i = 0; i < v.size; ++i) {
        const std::string_view candidate = v.values[i];
        if (candidate.size() != value.size())
            continue;
        // A byte loop: the spellings are a few bytes, shorter than a call to memcmp.
        std::size_t j = 0;
        while (j < value.size() && candidate[j] == value[j])
            ++j;
        if (j == value.size())
            return static_cast<int>(i);
    }
    return -1;
}

std::string unknownValue(std::string_view value, std::size_t column)
{
    return "a label holds \"" + std::string(value) + "\", not a value of " +
           std::string(model::toString(kLabelColumns[column].facet));
}

/// What one labels row says of facet column `c`, the rule every read of current labels applies
/// (the newest row that says something decides): its value's index when it holds one (a value
/// wins over the row's own withdrawal bit), kWithdrawn when it withdraws the column, kSilent when
/// it leaves it as it was, kNotAValue when its text is no value of the column.
constexpr int kWithdrawn = -1, kSilent = -2, kNotAValue = -3;
int rowSays(std::size_t c, std::string_view value, std::int64_t cleared)
{
    if (value.data() == nullptr) // NULL (textView of NULL has no data)
        return cleared & (std::int64_t(1) << c) ? kWithdrawn : kSilent;
    const int v = valueIndex(c, value);
    return v < 0 ? kNotAValue : v;
}

/// "SELECT rater_id, item_id, cleared, <the wanted facet columns> FROM labels" + `tail`. Built from
/// kLabelColumns, constants only.
std::string labelsSql(const Wanted &wanted, std::string_view tail)
{
    std::string sql = "SELECT rater_id, item_id, cleared";
    for (std::size_t c = 0; c < kColumns; ++c)
        if (wanted[c])
            sql += std::string(", ") + kLabelColumns[c].column;
    return sql + " FROM labels" + std::string(tail);
}

/// Dense indices of SQLite ids (raters and items are never deleted, so their ids are 1..N).
class IdIndex
{
public:
    IdIndex(std::int64_t maxId, std::size_t count)
        : m_dense(maxId >= 0 && maxId <= 4 * static_cast<std::int64_t>(count) + 1024)
    {
        if (m_dense)
            m_byId.assign(static_cast<std::size_t>(maxId + 1), kNone);
    }
    void add(std::int64_t id, std::uint32_t index)
    {
        if (m_dense && id >= 0 && id < static_cast<std::int64_t>(m_byId.size()))
            m_byId[static_cast<std::size_t>(id)] = index;
        else
            m_sparse.emplace(id, index);
    }
    std::optional<std::uint32_t> find(std::int64_t id) const
    {
        if (m_dense && id >= 0 && id < static_cast<std::int64_t>(m_byId.size()) &&
            m_byId[static_cast<std::size_t>(id)] != kNone)
            return m_byId[static_cast<std::size_t>(id)];
        const auto it = m_sparse.find(id);
        return it == m_sparse.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
    }

private:
    static constexpr std::uint32_t kNone = 0xffffffffu;
    bool m_dense;
    std::vector<std::uint32_t> m_byId;
    std::unordered_map<std::int64_t, std::uint32_t> m_sparse;
};

std::int64_t scalar(Database &db, std::string_view sql)
{
    Statement s(db, sql);
    return s.step() && !s.isNull(0) ? s.int64(0) : -1;
}

/// The raters, added to `set` in id order.
model::Result<IdIndex> readRaters(Database &db, const std::string &path, model::LabelSet &set)
{
    IdIndex index(scalar(db, "SELECT max(id) FROM raters"), 64);
    Statement raters(db, kRatersSql);
    while (raters.step()) {
        const auto kind = model::parseRaterKind(raters.textView(2));
        if (!kind)
            return corrupt(path, "rater \"" + raters.text(1) + "\" has an unknown kind");
        auto added = set.addRater(raters.textView(1), *kind,
                                  raters.isNull(3) ? std::string_view() : raters.textView(3));
        if (!added)
            return corrupt(path, added.error().message);
        index.add(raters.int64(0), *added);
    }
    return index;
}

// ---- the sparse path: one pass in (rater, item) order ---------------------------------------------

/// The index labels_by_rater_item(rater_id, item_id) keeps equal keys in rowid order, so this walks
/// the index without a sort, and each rater × item's revisions arrive oldest first: the last row
/// that sets or withdraws (labels.cleared) a column decides its current value. Memory is
/// independent of the project's size, but the rows are visited in index order, which for labels
/// entered in another order is random access to the table.
model::Result<model::LabelSet> readInRaterItemOrder(Database &db, const std::string &path,
                                                    const Wanted &wanted, model::LabelSet set,
                                                    const IdIndex &raterIndex)
{
    const std::int64_t maxItem = scalar(db, "SELECT max(id) FROM items");
    IdIndex itemIndex(maxItem, static_cast<std::size_t>(std::max<std::int64_t>(maxItem, 0)));
    Statement items(db, "SELECT i.id, i.ext_id, i.question_type, i.evidence_position, a.system, b.system "
                        "FROM items i "
                        "LEFT JOIN answers a ON a.item_id = i.id AND a.slot = 'A' "
                        "LEFT JOIN answers b ON b.item_id = i.id AND b.slot = 'B' ORDER BY i.id");
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
        itemIndex.add(items.int64(0), *index);
    }

    Statement labels(db, labelsSql(wanted, " ORDER BY rater_id, item_id, id"));
    std::int64_t rater = -1, item = -1;
    std::array<int, kColumns> current{}; // value index, or -1 for none
    auto flush = [&]() -> model::Status {
        if (rater < 0)
            return model::Ok{};
        const auto r = raterIndex.find(rater);
        const auto i = itemIndex.find(item);
        if (!r || !i)
            return corrupt(path, "a label refers to a rater or item that does not exist");
        for (std::size_t c = 0; c < kColumns; ++c) {
            if (current[c] < 0)
                continue;
            auto added = set.add(model::CurrentLabel{*r, *i, kLabelColumns[c].facet, kLabelColumns[c].slot,
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
        int column = 3;
        for (std::size_t c = 0; c < kColumns; ++c) {
            if (!wanted[c])
                continue;
            const std::string_view value = labels.textView(column++);
            const int says = rowSays(c, value, cleared);
            if (says == kNotAValue)
                return corrupt(path, unknownValue(value, c));
            if (says != kSilent)
                current[c] = says; // kWithdrawn: no current label until set again
        }
    }
    if (auto done = flush(); !done)
        return done.error();
    return set;
}

// ---- the dense path: the table in id order, in chunks, on two connections -------------------------

/// What the parallel read works on: the snapshot's bounds, read on the project's connection.
///
/// Raters, items and answers are only ever inserted, and labels are append-only (schema triggers),
/// with INTEGER PRIMARY KEY ids that grow with each insert. So the rows with ids up to the bounds
/// are the same in every later snapshot, and a second connection that reads only those rows sees
/// exactly the project's snapshot, whatever was committed in between.
struct Snapshot
{
    std::int64_t minItem = 0, maxItem = -1; ///< item ids; -1: no item
    std::int64_t minLabel = 0, maxLabel = -1;
    std::size_t raters = 0;
    std::size_t itemSpan() const
    {
        return maxItem < minItem ? 0 : static_cast<std::size_t>(maxItem - minItem + 1);
    }

    /// The id-order read keeps two bytes per wanted column × rater × item per connection: worth it
    /// while raters × items is within a few times the label rows (every rater labels a good share
    /// of the items). A sparse project is read in (rater, item) order instead.
    bool dense() const
    {
        const auto cells = static_cast<double>(raters) * static_cast<double>(itemSpan());
        const auto rows = static_cast<double>(maxLabel - minLabel + 1);
        return maxItem >= 0 && cells <= 4 * rows + 65536;
    }
};

Snapshot readSnapshot(Database &db, std::size_t raters)
{
    Snapshot snapshot;
    snapshot.raters = raters;
    // One aggregate per query: SQLite answers a lone min() or max() of the rowid from the b-tree's
    // edge, but scans the table for both at once.
    if (const std::int64_t maxItem = scalar(db, "SELECT max(id) FROM items"); maxItem >= 0) {
        snapshot.minItem = scalar(db, "SELECT min(id) FROM items");
        snapshot.maxItem = maxItem;
    }
    if (const std::int64_t maxLabel = scalar(db, "SELECT max(id) FROM labels"); maxLabel >= 0) {
        snapshot.minLabel = scalar(db, "SELECT min(id) FROM labels");
        snapshot.maxLabel = maxLabel;
    }
    return snapshot;
}

/// Per connection: for each wanted column × rater × item, what the newest row this connection
/// read did to it: 0 nothing, 1 withdrew it, 2 + v set value index v.
///
/// The first connection takes chunks from the front (oldest first) and reads each in ascending id
/// order, so its last write is its newest; the second takes them from the back (newest first) and
/// reads each in descending order, so its first write is its newest and it never overwrites. The
/// two meet in the middle, every row of the second is newer than every row of the first, and an
/// entry's current value is the second's when it has one, else the first's.
using ChunkState = std::vector<std::uint8_t>;
enum class Direction { Forward, Backward };
constexpr std::uint32_t kNone = 0xffffffffu;

/// The labels table in chunks of consecutive ids.
class LabelChunks
{
public:
    LabelChunks(const std::string &path, const Wanted &wanted, const Snapshot &snapshot,
                const IdIndex &raters)
        : m_path(path), m_wanted(wanted), m_snapshot(snapshot), m_raters(raters)
    {
        for (std::size_t c = 0; c < kColumns; ++c)
            if (m_wanted[c])
                m_columns.push_back(c);
        const std::int64_t labels = snapshot.maxLabel - snapshot.minLabel + 1;
        m_chunkSize = 16384;
        m_chunks = snapshot.maxLabel < snapshot.minLabel ? 0 : (labels + m_chunkSize - 1) / m_chunkSize;
    }

    std::size_t chunks() const { return static_cast<std::size_t>(m_chunks); }
    /// The wanted columns, as indices into kLabelColumns.
    const std::vector<std::size_t> &columns() const { return m_columns; }
    std::size_t stateSize() const { return m_columns.size() * m_snapshot.raters * m_snapshot.itemSpan(); }
    /// Where wanted column `w` of `rater` on the item with id minItem + `slot` is kept.
    std::size_t at(std::size_t w, std::uint32_t rater, std::size_t slot) const
    {
        return (w * m_snapshot.raters + rater) * m_snapshot.itemSpan() + slot;
    }
    /// The current value index of an entry over the connections' states, or −1 for none.
    static int current(const std::vector<ChunkState> &states, std::size_t i)
    {
        std::uint8_t newest = states.back()[i];
        if (newest == 0 && states.size() > 1)
            newest = states.front()[i];
        return static_cast<int>(newest) - 2; // −2 untouched, −1 withdrawn: no label either way
    }

    model::Status read(Database &db, std::size_t chunk, Direction direction, ChunkState &state) const
    {
        const std::int64_t first = m_snapshot.minLabel + static_cast<std::int64_t>(chunk) * m_chunkSize;
        const std::int64_t last = std::min(m_snapshot.maxLabel, first + m_chunkSize - 1);
        const bool forward = direction == Direction::Forward;
        Statement rows(db, labelsSql(m_wanted, forward ? " WHERE id BETWEEN ? AND ? ORDER BY id"
                                                       : " WHERE id BETWEEN ? AND ? ORDER BY id DESC"));
        rows.bind(1, first).bind(2, last);
        while (rows.step()) {
            const auto rater = m_raters.find(rows.int64(0));
            const std::int64_t item = rows.int64(1);
            if (!rater || item < m_snapshot.minItem || item > m_snapshot.maxItem)
                return corrupt(m_path, "a label refers to a rater or item that does not exist");
            const std::int64_t cleared = rows.int64(2);
            const auto slot = static_cast<std::size_t>(item - m_snapshot.minItem);
            for (std::size_t w = 0; w < m_columns.size(); ++w) {
                const int column = 3 + static_cast<int>(w);
                const std::size_t c = m_columns[w];
                std::uint8_t &entry = state[at(w, *rater, slot)];
                if (!forward && entry != 0)
                    continue; // a newer row already decided it
                const std::string_view value = rows.textView(column);
                const int says = rowSays(c, value, cleared);
                if (says == kNotAValue)
                    return corrupt(m_path, unknownValue(value, c));
                if (says != kSilent) // 1: withdrawn, no current label until set again
                    entry = static_cast<std::uint8_t>(2 + says);
            }
        }
        return model::Ok{};
    }

private:
    const std::string &m_path;
    const Wanted &m_wanted;
    const Snapshot &m_snapshot;
    const IdIndex &m_raters;
    std::vector<std::size_t> m_columns;
    std::int64_t m_chunkSize = 0;
    std::int64_t m_chunks = 0;
};

/// A second connection to the project for the parallel read, or nullptr when there is none to
/// have (an in-memory database, a file that cannot be opened again).
std::unique_ptr<Database> secondConnection(const Database &first)
{
    const std::string &path = first.path();
    if (path.empty() || path == ":memory:" || path.starts_with("file:"))
        return nullptr;
    try {
        // Read-only, and immutable as the first when it is (a project on a read-only disk).
        auto db = std::make_unique<Database>(path, first.mode() == Database::Mode::Immutable
                                                       ? Database::Mode::Immutable
                                                       : Database::Mode::ReadOnly);
        db->exec("PRAGMA busy_timeout = 5000");
        return db;
    } catch (const SqliteError &) {
        return nullptr;
    }
}

/// One read task's failure, kept until every task has finished.
struct TaskError
{
    std::size_t task = 0;
    model::Error error;
};

/// Runs the reads — `items`, and every label chunk — on the project's connection and a second
/// one: the first connection reads the items, then chunks from the front; the second reads chunks
/// from the back (see ChunkState); each takes the next chunk when it is done with one, so the two
/// stay busy whatever the mix of items and labels and whatever else the machine runs. `items`
/// writes what only it writes. `states` receives one ChunkState per connection, the first
/// connection's first.
model::Status readInParallel(Database &db, const std::string &path, const LabelChunks &labels,
                             const std::function<model::Status(Database &)> &items,
                             std::vector<ChunkState> &states)
{
    // Chunks [front, back) are still to be read.
    std::mutex claim;
    std::size_t front = 0, back = labels.chunks();
    auto next = [&](Direction d) -> std::optional<std::size_t> {
        const std::lock_guard<std::mutex> lock(claim);
        if (front == back)
            return std::nullopt;
        return d == Direction::Forward ? front++ : --back;
    };
    // Errors keyed by task: 0 the items, 1 + c chunk c.
    auto work = [&](Database &connection, Direction d, ChunkState &state, std::vector<TaskError> &errors) {
        state.assign(labels.stateSize(), 0);
        auto run = [&](std::size_t task, auto &&read) {
            try {
                if (auto done = read(); !done)
                    errors.push_back({task, done.error()});
            } catch (const SqliteError &e) {
                errors.push_back({task, sqliteFailure(path, e.code(), e.what())});
            }
        };
        if (d == Direction::Forward)
            run(0, [&] { return items(connection); });
        while (const auto chunk = next(d))
            run(1 + *chunk, [&] { return labels.read(connection, *chunk, d, state); });
    };
    states.assign(1, {});
    std::vector<std::vector<TaskError>> errors(1);
    if (auto second = secondConnection(db)) {
        states.emplace_back();
        errors.emplace_back();
        // Exceptions are caught in the thread: none crosses it.
        std::thread worker([&] {
            try {
                ReadTransaction tx(*second);
                work(*second, Direction::Backward, states[1], errors[1]);
            } catch (const SqliteError &e) {
                errors[1].push_back({0, sqliteFailure(path, e.code(), e.what())});
            }
        });
        work(db, Direction::Forward, states[0], errors[0]);
        worker.join();
    } else {
        work(db, Direction::Forward, states[0], errors[0]);
    }
    // The failure of the earliest task, so that the message does not depend on thread timing.
    const TaskError *first = nullptr;
    for (const auto &list : errors)
        for (const TaskError &e : list)
            if (!first || e.task < first->task)
                first = &e;
    if (first)
        return first->error;
    return model::Ok{};
}

/// Every item with its attributes into `set`, in id order; `itemBySlot[id − minItem]` its index.
model::Status readItems(Database &db, const std::string &path, const Snapshot &snapshot, model::LabelSet &set,
                        std::vector<std::uint32_t> &itemBySlot)
{
    const std::size_t span = snapshot.itemSpan();
    // Answers first, their systems interned (few distinct names), so that each item goes into the
    // set complete, once: no second copy of 200,000 items.
    std::vector<std::string> names;
    std::map<std::string, std::uint32_t, std::less<>> nameIndex;
    std::vector<std::uint32_t> systemOf(2 * span, kNone); // by 2 · (item id − minItem) + slot
    Statement answers(db, "SELECT item_id, slot, system FROM answers WHERE item_id BETWEEN ? AND ? "
                          "ORDER BY item_id, slot");
    answers.bind(1, snapshot.minItem).bind(2, snapshot.maxItem);
    while (answers.step()) {
        const std::string_view name = answers.textView(2);
        auto it = nameIndex.find(name);
        if (it == nameIndex.end()) {
            it = nameIndex.emplace(std::string(name), static_cast<std::uint32_t>(names.size())).first;
            names.emplace_back(name);
        }
        const auto slot = static_cast<std::size_t>(answers.int64(0) - snapshot.minItem);
        systemOf[2 * slot + (answers.textView(1) == "B" ? 1 : 0)] = it->second;
    }
    auto system = [&](std::uint32_t i) { return i == kNone ? std::string() : names[i]; };

    itemBySlot.assign(span, kNone);
    set.reserveItems(span);
    Statement rows(db, "SELECT id, ext_id, question_type, evidence_position FROM items "
                       "WHERE id BETWEEN ? AND ? ORDER BY id");
    rows.bind(1, snapshot.minItem).bind(2, snapshot.maxItem);
    while (rows.step()) {
        model::ItemAttributes item;
        item.id = rows.text(1);
        const auto type = model::parseQuestionType(rows.textView(2));
        if (!type)
            return corrupt(path, "item \"" + item.id + "\" has an unknown question type");
        item.questionType = *type;
        item.evidencePosition = rows.optionalReal(3);
        const auto slot = static_cast<std::size_t>(rows.int64(0) - snapshot.minItem);
        item.systems = {system(systemOf[2 * slot]), system(systemOf[2 * slot + 1])};
        auto index = set.addItem(std::move(item));
        if (!index)
            return corrupt(path, index.error().message);
        itemBySlot[slot] = *index;
    }
    return model::Ok{};
}

model::Result<model::LabelSet> readInIdOrder(Database &db, const std::string &path, const Wanted &wanted,
                                             const Snapshot &snapshot, model::LabelSet set,
                                             const IdIndex &raterIndex)
{
    const LabelChunks labels(path, wanted, snapshot, raterIndex);
    std::vector<std::uint32_t> itemBySlot;
    std::vector<ChunkState> states;
    auto done = readInParallel(
        db, path, labels, [&](Database &c) { return readItems(c, path, snapshot, set, itemBySlot); }, states);
    if (!done)
        return done.error();

    // The current labels in (rater, item, column) order, as the (rater, item)-order read gives them.
    const std::size_t span = snapshot.itemSpan();
    const auto &columns = labels.columns();
    std::size_t count = 0;
    for (std::size_t i = 0; i < labels.stateSize(); ++i)
        count += LabelChunks::current(states, i) >= 0;
    set.reserve(count);
    for (std::uint32_t r = 0; r < snapshot.raters; ++r) {
        for (std::size_t slot = 0; slot < span; ++slot) {
            for (std::size_t w = 0; w < columns.size(); ++w) {
                const int value = LabelChunks::current(states, labels.at(w, r, slot));
                if (value < 0)
                    continue;
                if (itemBySlot[slot] == kNone)
                    return corrupt(path, "a label refers to a rater or item that does not exist");
                const LabelColumn &column = kLabelColumns[columns[w]];
                auto added = set.add(model::CurrentLabel{r, itemBySlot[slot], column.facet, column.slot,
                                                         static_cast<std::uint8_t>(value)});
                if (!added)
                    return corrupt(path, added.error().message);
            }
        }
    }
    return set;
}

/// Which items exist, and with a grouping each one's group (as model::groupOf names it, from the
/// one attribute the grouping needs), by `id − minItem`.
model::Status readItemGroups(Database &db, const std::string &path, const Snapshot &snapshot,
                             std::optional<model::Grouping> grouping, std::vector<std::uint8_t> &exists,
                             std::vector<std::string> &groups, std::vector<std::uint32_t> &itemGroup)
{
    const std::size_t span = snapshot.itemSpan();
    exists.assign(span, 0);
    itemGroup.assign(grouping ? span : 0, kNone);
    std::map<std::string, std::uint32_t, std::less<>> groupIndex;
    auto assign = [&](std::size_t slot, const model::ItemAttributes &item) {
        std::string name = model::groupOf(item, *grouping);
        auto it = groupIndex.find(name);
        if (it == groupIndex.end()) {
            it = groupIndex.emplace(name, static_cast<std::uint32_t>(groups.size())).first;
            groups.push_back(std::move(name));
        }
        itemGroup[slot] = it->second;
    };
    const bool attributes =
        grouping == model::Grouping::QuestionType || grouping == model::Grouping::EvidenceBucket;
    // Without attributes, the ids alone: SQLite reads them from a narrow index.
    Statement rows(db, attributes
                           ? "SELECT id, question_type, evidence_position FROM items WHERE id BETWEEN ? AND ?"
                           : "SELECT id FROM items WHERE id BETWEEN ? AND ?");
    rows.bind(1, snapshot.minItem).bind(2, snapshot.maxItem);
    while (rows.step()) {
        const auto slot = static_cast<std::size_t>(rows.int64(0) - snapshot.minItem);
        exists[slot] = 1;
        if (!attributes)
            continue;
        model::ItemAttributes item;
        const auto type = model::parseQuestionType(rows.textView(1));
        if (!type)
            return corrupt(path, "an item has an unknown question type");
        item.questionType = *type;
        item.evidencePosition = rows.optionalReal(2);
        assign(slot, item);
    }
    if (grouping != model::Grouping::System)
        return model::Ok{};
    std::vector<std::array<std::string, 2>> systems(span);
    Statement answers(db, "SELECT item_id, slot, system FROM answers WHERE item_id BETWEEN ? AND ?");
    answers.bind(1, snapshot.minItem).bind(2, snapshot.maxItem);
    while (answers.step())
        systems[static_cast<std::size_t>(answers.int64(0) - snapshot.minItem)]
               [answers.textView(1) == "B" ? 1 : 0] = answers.text(2);
    for (std::size_t slot = 0; slot < span; ++slot) {
        if (!exists[slot])
            continue;
        model::ItemAttributes item;
        item.systems = std::move(systems[slot]);
        assign(slot, item);
    }
    return model::Ok{};
}

Wanted wantedColumns(const std::vector<model::Facet> &facets)
{
    Wanted wanted{};
    for (std::size_t c = 0; c < kColumns; ++c)
        wanted[c] =
            facets.empty() || std::find(facets.begin(), facets.end(), kLabelColumns[c].facet) != facets.end();
    return wanted;
}

/// The agreement cache (schema step 5): an AgreementInput's columns and groups, stored after a
/// read under the facets and grouping read, and used while the project's state is the same.
/// Raters, items and labels are append-only, so their largest ids (and the rater count) say
/// whether anything the columns depend on has changed since.
std::string cacheKey(const Wanted &wanted, std::optional<model::Grouping> grouping)
{
    std::string key(wanted.size(), '0');
    for (std::size_t c = 0; c < wanted.size(); ++c)
        if (wanted[c])
            key[c] = '1';
    const std::string_view by = grouping ? model::toString(*grouping) : std::string_view("none");
    key.push_back(':');
    key.append(by.data(), by.size());
    return key;
}

std::string cacheState(const Snapshot &snapshot)
{
    return std::to_string(snapshot.minItem) + ":" + std::to_string(snapshot.maxItem) + ":" +
           std::to_string(snapshot.minLabel) + ":" + std::to_string(snapshot.maxLabel) + ":" +
           std::to_string(snapshot.raters);
}

constexpr std::uint32_t kCacheFormat = 1;

template <typename T> void put(std::string &out, T value)
{
    out.append(reinterpret_cast<const char *>(&value), sizeof value);
}

std::string encodeCache(const model::AgreementInput &input)
{
    std::string out;
    put(out, kCacheFormat);
    put(out, static_cast<std::uint64_t>(input.items));
    put(out, static_cast<std::uint32_t>(input.raters.size()));
    for (const auto &byRater : input.columns) {
        put(out, static_cast<std::uint32_t>(byRater.size()));
        for (const std::vector<std::int8_t> &column : byRater) {
            put(out, static_cast<std::uint64_t>(column.size()));
            out.append(reinterpret_cast<const char *>(column.data()), column.size());
        }
    }
    put(out, static_cast<std::uint32_t>(input.groups.size()));
    for (const std::string &g : input.groups) {
        put(out, static_cast<std::uint32_t>(g.size()));
        out += g;
    }
    put(out, static_cast<std::uint64_t>(input.itemGroup.size()));
    out.append(reinterpret_cast<const char *>(input.itemGroup.data()),
               input.itemGroup.size() * sizeof(std::uint32_t));
    return out;
}

/// Reads what encodeCache wrote, into `input` (whose raters and grouping are set); false when the
/// bytes are not such a record for these raters (then `input` is to be read afresh).
bool decodeCache(std::string_view bytes, model::AgreementInput &input)
{
    std::size_t at = 0;
    auto take = [&](void *to, std::size_t n) {
        if (bytes.size() - at < n)
            return false;
        std::memcpy(to, bytes.data() + at, n);
        at += n;
        return true;
    };
    std::uint32_t format = 0, raters = 0;
    std::uint64_t items = 0;
    if (!take(&format, 4) || format != kCacheFormat || !take(&items, 8) || !take(&raters, 4) ||
        raters != input.raters.size())
        return false;
    input.items = static_cast<std::size_t>(items);
    for (std::size_t f = 0; f < input.columns.size(); ++f) {
        auto &byRater = input.columns[f];
        std::uint32_t count = 0;
        if (!take(&count, 4) || (count != 0 && count != raters))
            return false;
        byRater.assign(count, {});
        const std::size_t units = model::isPerAnswer(model::kFacets[f]) ? 2 * input.items : input.items;
        const auto categories = static_cast<std::int8_t>(model::valuesOf(model::kFacets[f]).size());
        for (std::vector<std::int8_t> &column : byRater) {
            std::uint64_t size = 0;
            if (!take(&size, 8) || (size != 0 && size != units) || size > bytes.size() - at)
                return false;
            column.resize(static_cast<std::size_t>(size));
            if (!take(column.data(), column.size()))
                return false;
            // Each value a category of the facet or missing: the report indexes tables by them.
            for (std::int8_t v : column)
                if (v != model::kMissing && (v < 0 || v >= categories))
                    return false;
        }
    }
    std::uint32_t groups = 0;
    if (!take(&groups, 4) || groups > bytes.size() - at)
        return false;
    input.groups.assign(groups, {});
    for (std::string &g : input.groups) {
        std::uint32_t size = 0;
        if (!take(&size, 4) || size > bytes.size() - at)
            return false;
        g.resize(size);
        if (!take(g.data(), size))
            return false;
    }
    std::uint64_t itemGroups = 0;
    if (!take(&itemGroups, 8) || itemGroups > (bytes.size() - at) / sizeof(std::uint32_t))
        return false;
    input.itemGroup.resize(static_cast<std::size_t>(itemGroups));
    if (!take(input.itemGroup.data(), input.itemGroup.size() * sizeof(std::uint32_t)) || at != bytes.size())
        return false;
    if (input.grouping && input.itemGroup.size() != input.items)
        return false;
    return std::all_of(input.itemGroup.begin(), input.itemGroup.end(),
                       [&](std::uint32_t g) { return g == 0xffffffffu || g < input.groups.size(); });
}

struct CachedColumns
{
    std::string state;
    std::string data;
};

std::optional<CachedColumns> cachedColumns(Database &db, const std::string &key)
{
    Statement select(db, "SELECT state, data FROM agreement_cache WHERE key = ?1");
    select.bind(1, key);
    if (!select.step())
        return std::nullopt;
    return CachedColumns{select.text(0), std::string(select.blobView(1))};
}

/// The parts of a cacheState() string, std::nullopt when it is not one.
std::optional<std::array<std::int64_t, 5>> parseState(const std::string &state)
{
    std::array<std::int64_t, 5> out{};
    std::size_t at = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::size_t end = i + 1 < out.size() ? state.find(':', at) : state.size();
        if (end == std::string::npos || end == at)
            return std::nullopt;
        try {
            std::size_t used = 0;
            out[i] = std::stoll(state.substr(at, end - at), &used);
            if (used != end - at)
                return std::nullopt;
        } catch (const std::exception &) {
            return std::nullopt;
        }
        at = end + 1;
    }
    return out;
}

/// Brings kept columns up to date with the label rows added since they were computed: labels are
/// append-only and the newest row that sets or withdraws a column decides, so applying the new
/// rows in id order over the old current labels gives the new ones. Only when the raters and items
/// are the same as then (new ones change the columns' shape and the groups) and the new rows are a
/// small share of all: otherwise false, and the caller reads everything.
bool applyNewLabels(Database &db, const Wanted &wanted, const Snapshot &snapshot, const IdIndex &raterIndex,
                    const std::string &cachedState, model::AgreementInput &input)
{
    const auto was = parseState(cachedState);
    if (!was || (*was)[0] != snapshot.minItem || (*was)[1] != snapshot.maxItem ||
        (*was)[2] != snapshot.minLabel || (*was)[4] != static_cast<std::int64_t>(snapshot.raters) ||
        (*was)[3] > snapshot.maxLabel || input.items != snapshot.itemSpan())
        return false;
    const std::int64_t fresh = snapshot.maxLabel - (*was)[3];
    if (fresh > (snapshot.maxLabel - snapshot.minLabel + 1) / 4)
        return false;
    Statement rows(db, labelsSql(wanted, " WHERE id > ?1 AND id <= ?2 ORDER BY id"));
    rows.bind(1, (*was)[3]).bind(2, snapshot.maxLabel);
    const std::size_t span = snapshot.itemSpan();
    while (rows.step()) {
        const auto rater = raterIndex.find(rows.int64(0));
        const std::int64_t item = rows.int64(1) - snapshot.minItem;
        if (!rater || item < 0 || static_cast<std::size_t>(item) >= span)
            return false; // the full read reports it
        const std::int64_t cleared = rows.int64(2);
        int at = 3;
        for (std::size_t c = 0; c < kColumns; ++c) {
            if (!wanted[c])
                continue;
            const int says = rowSays(c, rows.textView(at++), cleared);
            if (says == kNotAValue)
                return false; // the full read reports it
            if (says == kSilent)
                continue;
            const LabelColumn &lc = kLabelColumns[c];
            const bool perAnswer = model::isPerAnswer(lc.facet);
            auto &byRater = input.columns[model::facetIndex(lc.facet)];
            if (byRater.size() != snapshot.raters)
                byRater.resize(snapshot.raters);
            std::vector<std::int8_t> &values = byRater[*rater];
            const std::size_t unit =
                perAnswer ? 2 * static_cast<std::size_t>(item) + (lc.slot == model::Slot::B ? 1 : 0)
                          : static_cast<std::size_t>(item);
            const int value = says == kWithdrawn ? model::kMissing : says;
            if (values.empty()) {
                if (value == model::kMissing)
                    continue;
                values.assign(perAnswer ? 2 * span : span, model::kMissing);
            }
            values[unit] = static_cast<std::int8_t>(value);
        }
    }
    // A rater whose every label on a facet was withdrawn has no column, as a full read gives.
    for (auto &byRater : input.columns)
        for (std::vector<std::int8_t> &column : byRater)
            if (!column.empty() &&
                std::all_of(column.begin(), column.end(), [](std::int8_t v) { return v == model::kMissing; }))
                column.clear();
    return true;
}

/// Keeps `input` for the next read, if the project can be written right now: a read must never
/// wait for, or fail because of, a writer (the GUI saving a label), nor on a read-only file.
void storeColumns(Database &db, const std::string &key, const std::string &state,
                  const model::AgreementInput &input)
{
    struct RestoreTimeout
    {
        Database &db;
        int timeout;
        ~RestoreTimeout() { sqlite3_busy_timeout(db.handle(), timeout); }
    } restore{db, static_cast<int>(scalar(db, "PRAGMA busy_timeout"))};
    sqlite3_busy_timeout(db.handle(), 0);
    try {
        Transaction tx(db);
        Statement drop(db, "DELETE FROM agreement_cache WHERE state <> ?1");
        drop.bind(1, state).run();
        Statement insert(db, "INSERT OR REPLACE INTO agreement_cache(key, state, data) VALUES (?1, ?2, ?3)");
        insert.bind(1, key).bind(2, state).bindBlob(3, encodeCache(input)).run();
        tx.commit();
    } catch (const SqliteError &) {
        // Busy, read-only or full: the next read computes the columns again.
    }
}

/// The report's input, from the cache when it holds this state of the project, else read from
/// the labels; `state` is then set, for the caller to store the result under.
model::Result<model::AgreementInput> readAgreementColumns(Database &db, const std::string &path,
                                                          const Wanted &wanted,
                                                          const std::vector<model::Facet> &facets,
                                                          std::optional<model::Grouping> grouping,
                                                          const std::string &key, std::string &state)
{
    ReadTransaction tx(db);
    model::LabelSet raters;
    auto raterIndex = readRaters(db, path, raters);
    if (!raterIndex)
        return raterIndex.error();
    const Snapshot snapshot = readSnapshot(db, raters.raters().size());
    const std::string current = cacheState(snapshot);
    if (const auto cached = cachedColumns(db, key)) {
        model::AgreementInput input;
        input.raters = raters.raters();
        input.grouping = grouping;
        if (decodeCache(cached->data, input)) {
            if (cached->state == current)
                return input;
            if (snapshot.dense() && applyNewLabels(db, wanted, snapshot, *raterIndex, cached->state, input)) {
                state = current; // kept again, up to date
                return input;
            }
        }
    }
    state = current;
    if (!snapshot.dense()) {
        auto set = readInRaterItemOrder(db, path, wanted, std::move(raters), *raterIndex);
        if (!set)
            return set.error();
        std::vector<model::Facet> read;
        for (model::Facet f : model::kFacets)
            if (facets.empty() || std::find(facets.begin(), facets.end(), f) != facets.end())
                read.push_back(f);
        return model::agreementInput(*set, read, grouping);
    }

    model::AgreementInput input;
    input.raters = raters.raters();
    input.grouping = grouping;
    const LabelChunks labels(path, wanted, snapshot, *raterIndex);
    std::vector<std::uint8_t> exists;
    std::vector<ChunkState> states;
    auto done = readInParallel(
        db, path, labels,
        [&](Database &c) {
            return readItemGroups(c, path, snapshot, grouping, exists, input.groups, input.itemGroup);
        },
        states);
    if (!done)
        return done.error();

    const std::size_t span = snapshot.itemSpan();
    input.items = span; // item index = id − minItem; ids missing in between have no label
    for (std::size_t c = 0; c < kColumns; ++c)
        if (wanted[c])
            input.columns[model::facetIndex(kLabelColumns[c].facet)].resize(input.raters.size());
    const auto &columns = labels.columns();
    for (std::size_t w = 0; w < columns.size(); ++w) {
        const LabelColumn &column = kLabelColumns[columns[w]];
        const bool perAnswer = model::isPerAnswer(column.facet);
        const std::size_t slotOffset = column.slot == model::Slot::B ? 1 : 0;
        auto &byRater = input.columns[model::facetIndex(column.facet)];
        for (std::uint32_t r = 0; r < snapshot.raters; ++r) {
            for (std::size_t slot = 0; slot < span; ++slot) {
                const int value = LabelChunks::current(states, labels.at(w, r, slot));
                if (value < 0)
                    continue;
                if (!exists[slot])
                    return corrupt(path, "a label refers to a rater or item that does not exist");
                std::vector<std::int8_t> &values = byRater[r];
                if (values.empty())
                    values.assign(perAnswer ? 2 * span : span, model::kMissing);
                values[perAnswer ? 2 * slot + slotOffset : slot] = static_cast<std::int8_t>(value);
            }
        }
    }
    return input;
}

} // namespace

model::Result<model::LabelSet> readCurrentLabels(Project &project, const std::vector<model::Facet> &facets)
{
    const std::string &path = project.path();
    try {
        Database &db = project.database();
        ReadTransaction tx(db);
        model::LabelSet set;
        auto raterIndex = readRaters(db, path, set);
        if (!raterIndex)
            return raterIndex.error();
        const Wanted wanted = wantedColumns(facets);
        const Snapshot snapshot = readSnapshot(db, set.raters().size());
        if (!snapshot.dense())
            return readInRaterItemOrder(db, path, wanted, std::move(set), *raterIndex);
        return readInIdOrder(db, path, wanted, snapshot, std::move(set), *raterIndex);
    } catch (const SqliteError &e) {
        return sqliteFailure(path, e.code(), e.what());
    }
}

model::Result<model::LabelSet> readCurrentLabelsAt(const std::string &path)
{
    auto project = Project::openForReading(path);
    if (!project)
        return project.error();
    return readCurrentLabels(**project);
}

model::Result<model::AgreementInput> readAgreementInput(Project &project,
                                                        const std::vector<model::Facet> &facets,
                                                        std::optional<model::Grouping> grouping)
{
    const std::string &path = project.path();
    try {
        Database &db = project.database();
        const Wanted wanted = wantedColumns(facets);
        const std::string key = cacheKey(wanted, grouping);
        std::string state;
        auto input = readAgreementColumns(db, path, wanted, facets, grouping, key, state);
        if (input && !state.empty())
            storeColumns(db, key, state, *input);
        return input;
    } catch (const SqliteError &e) {
        return sqliteFailure(path, e.code(), e.what());
    }
}

void keepAgreementInput(Project &project) { (void)readAgreementInput(project, {}, std::nullopt); }

} // namespace concord::storage
