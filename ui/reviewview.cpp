#include "reviewview.h"

#include "facettext.h"

#include "answerpanel.h"
#include "documentview.h"
#include "models/reviewqueuemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <array>
#include <map>

namespace concord::ui {

namespace {

QString choiceText(model::Choice c)
{
    return c == model::Choice::A   ? QStringLiteral("A")
           : c == model::Choice::B ? QStringLiteral("B")
                                   : QObject::tr("tie");
}

QString esc(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }

int kindOrder(model::RaterKind k)
{
    return k == model::RaterKind::Human ? 0 : k == model::RaterKind::Judge ? 1 : 2;
}

/// The columns of the labels table: the rater, then every facet of the item, then its evidence.
struct LabelColumn
{
    model::Facet facet;
    std::optional<model::Slot> slot;
    const char *title;
};
constexpr LabelColumn kLabelColumns[] = {
    {model::Facet::Preference, std::nullopt, QT_TRANSLATE_NOOP("ReviewView", "Preference")},
    {model::Facet::Relevance, std::nullopt, QT_TRANSLATE_NOOP("ReviewView", "Relev.")},
    {model::Facet::Comprehensiveness, std::nullopt, QT_TRANSLATE_NOOP("ReviewView", "Compr.")},
    {model::Facet::Conciseness, std::nullopt, QT_TRANSLATE_NOOP("ReviewView", "Concis.")},
    {model::Facet::Faithful, model::Slot::A, QT_TRANSLATE_NOOP("ReviewView", "Faithful A")},
    {model::Facet::Faithful, model::Slot::B, QT_TRANSLATE_NOOP("ReviewView", "Faithful B")},
    {model::Facet::NoInfo, model::Slot::A, QT_TRANSLATE_NOOP("ReviewView", "No-info A")},
    {model::Facet::NoInfo, model::Slot::B, QT_TRANSLATE_NOOP("ReviewView", "No-info B")},
};
constexpr int kFirstFacetColumn = 1;
constexpr int kEvidenceColumn = kFirstFacetColumn + int(std::size(kLabelColumns));
constexpr int kLabelColumnCount = kEvidenceColumn + 1;

bool hasAnything(const model::ItemLabel &label) { return label != model::ItemLabel{}; }

/// One judge's explanations, claims and no-info reasoning on an item. The claims of `focus` (the
/// answer under review, if the facet is per answer) come first.
QString rationaleHtml(const QString &rater, const QColor &colour, const model::JudgeRationale &r,
                      std::optional<model::Slot> focus, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QString green = shade::readableOn(QColor(0x2e, 0x7d, 0x32), base).name();
    const QString red = shade::readableOn(QColor(0xc6, 0x28, 0x28), base).name();
    const QString grey = shade::secondaryText(palette).name();
    QString h = QStringLiteral("<h3 style='margin-bottom:2px'><span style='background:%1; "
                               "color:#202020'>&nbsp;%2&nbsp;</span></h3>")
                    .arg(colour.name(), rater.toHtmlEscaped());
    if (r.preference) {
        const auto &p = *r.preference;
        h += QObject::tr("<p><b>Preference %1</b> — with A shown first: %2; with B shown first: %3 (%4).</p>")
                 .arg(choiceText(p.preference), choiceText(p.overallAB), choiceText(p.overallBA),
                      p.consistent ? QObject::tr("consistent")
                                   : QObject::tr("<span style='color:%1'>inconsistent</span>").arg(red));
        if (!p.explanationAB.empty())
            h += QObject::tr("<p style='margin-left:12px'><i>A first:</i> %1</p>").arg(esc(p.explanationAB));
        if (!p.explanationBA.empty())
            h += QObject::tr("<p style='margin-left:12px'><i>B first:</i> %1</p>").arg(esc(p.explanationBA));
    }
    std::vector<const model::JudgeRationale::Claim *> claims;
    for (const auto &c : r.claims)
        claims.push_back(&c);
    std::stable_sort(claims.begin(), claims.end(), [&](const auto *a, const auto *b) {
        return focus && (a->slot == *focus) > (b->slot == *focus);
    });
    std::optional<model::Slot> shown;
    for (const auto *c : claims) {
        if (shown != c->slot) {
            shown = c->slot;
            h += QObject::tr("<p><b>Claims of answer %1</b></p>").arg(c->slot == model::Slot::A ? "A" : "B");
        }
        const bool supported = c->supported;
        const QString mark = supported ? QStringLiteral("<span style='color:%1'>✓ %2</span>").arg(green)
                                       : QStringLiteral("<span style='color:%1'>✗ %2</span>").arg(red);
        QString quote;
        if (!c->quote.empty()) {
            const QString text = QStringLiteral("“%1”").arg(esc(c->quote));
            quote = c->start && c->end
                        ? QStringLiteral("<a href='quote:%1:%2'>%3</a>").arg(*c->start).arg(*c->end).arg(text)
                        : QObject::tr("%1 <i>(not found in the document)</i>").arg(text);
        }
        h += QStringLiteral("<p style='margin-left:12px'>%1. %2 — %3<br>%4%5</p>")
                 .arg(c->number)
                 .arg(mark.arg(QString::fromStdString(c->verdict)), esc(c->claim), quote,
                      c->reasoning.empty() ? QString()
                                           : QStringLiteral("<br><span style='color:%1'>%2</span>")
                                                 .arg(grey, esc(c->reasoning)));
    }
    if (r.noInfo) {
        const auto &n = *r.noInfo;
        h += QObject::tr("<p><b>No-info</b> — the document %1 the answer; answer A %2, answer B %3.</p>")
                 .arg(n.documentContainsAnswer ? QObject::tr("holds") : QObject::tr("does not hold"),
                      n.declines[0] ? QObject::tr("declines") : QObject::tr("answers"),
                      n.declines[1] ? QObject::tr("declines") : QObject::tr("answers"));
        if (!n.reasoning.empty())
            h += QStringLiteral("<p style='margin-left:12px'>%1</p>").arg(esc(n.reasoning));
    }
    return h;
}

} // namespace

std::vector<ReviewView::GoldKey> ReviewView::goldKeys(model::Facet facet)
{
    // As in the workspace: 1 left (here A), 2 tie, 3 right (B); F and U for faithfulness.
    switch (facet) {
    case model::Facet::Faithful:
        return {{Qt::Key_F, QStringLiteral("F"), model::kFaithful},
                {Qt::Key_U, QStringLiteral("U"), model::kUnfaithful}};
    case model::Facet::NoInfo: {
        std::vector<GoldKey> keys;
        int n = 0;
        for (std::string_view value : model::valuesOf(facet)) {
            keys.push_back({Qt::Key_1 + n, QString::number(n + 1), value});
            ++n;
        }
        return keys;
    }
    default:
        return {{Qt::Key_1, QStringLiteral("1"), "A"},
                {Qt::Key_2, QStringLiteral("2"), "tie"},
                {Qt::Key_3, QStringLiteral("3"), "B"}};
    }
}

QColor ReviewView::raterColor(int index)
{
    static const QColor kColours[] = {QColor(0xff, 0xe0, 0x8a), QColor(0xa8, 0xd8, 0xff),
                                      QColor(0xc5, 0xe8, 0xb0), QColor(0xf5, 0xb8, 0xd0),
                                      QColor(0xd6, 0xc8, 0xf5), QColor(0xff, 0xc9, 0xa3)};
    return kColours[index % int(std::size(kColours))];
}

void ReviewView::openLink(const QUrl &link)
{
    const QStringList parts = link.toString().split(QLatin1Char(':'));
    if (parts.size() != 3 || parts[0] != QLatin1String("quote"))
        return;
    bool okStart = false, okEnd = false;
    const qint64 start = parts[1].toLongLong(&okStart), end = parts[2].toLongLong(&okEnd);
    if (okStart && okEnd && start < end)
        m_document->reveal(start, end);
}

ReviewView::ReviewView(Sources sources, std::string goldRater, QWidget *parent)
    : QWidget(parent), m_sources(std::move(sources)), m_goldRater(std::move(goldRater))
{
    m_queue = new ReviewQueueModel(this);
    m_filter = new ReviewFilterModel(this);
    m_filter->setSourceModel(m_queue);
    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ReviewQueueModel::Said, QHeaderView::Stretch);

    m_facet = new QComboBox(this);
    m_facet->addItem(tr("All facets"), -1);
    for (model::Facet f : model::kFacets)
        m_facet->addItem(facetName(f), int(f));
    // Broad kinds first, then every reading the queue holds ("judge says faithful, humans say
    // unfaithful"), refilled on reload().
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("kindFilter"));
    m_kind->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_kind->setMinimumContentsLength(16);
    m_kind->setToolTip(tr("Kind of disagreement: who disagrees with whom, or exactly what they said"));
    m_type = new QComboBox(this);
    m_type->addItem(tr("All types"), QString()); // fits the width a 1024 px window leaves it
    m_type->setToolTip(tr("Question type"));
    for (model::QuestionType t : model::kQuestionTypes)
        m_type->addItem(questionTypeName(t), utf8Text(model::toString(t)));
    m_raterA = new QComboBox(this);
    m_raterB = new QComboBox(this);
    // Rater ids such as judge:model:1a2b3c4d must not widen the window past a laptop screen.
    for (QComboBox *combo : {m_facet, m_type, m_raterA, m_raterB}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(combo == m_facet ? 12 : 9);
    }
    m_count = new QLabel(this);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_facet);
    filters->addWidget(m_kind);
    filters->addWidget(m_type);
    filters->addWidget(new QLabel(tr("Between"), this));
    filters->addWidget(m_raterA);
    filters->addWidget(new QLabel(tr("and"), this));
    filters->addWidget(m_raterB);
    m_withhold = new QCheckBox(tr("Hide items I have not finished"), this);
    m_withhold->setChecked(true);
    m_withhold->setVisible(false);
    m_withhold->setToolTip(tr("Blind annotation: other raters' labels on an item you still have to label "
                              "would sway yours. A lead who does not annotate can untick this."));
    connect(m_withhold, &QCheckBox::toggled, this, [this] { applyFilters(); });
    filters->addStretch(1);
    filters->addWidget(m_count);

    // The selected unit.
    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    m_question = new QLabel(detail);
    m_question->setWordWrap(true);
    m_question->setTextFormat(Qt::RichText);
    detailLayout->addWidget(m_question);
    auto *answers = new QHBoxLayout;
    for (int i = 0; i < 2; ++i) {
        auto *column = new QVBoxLayout;
        m_answerTitles[i] = new QLabel(detail);
        m_answers[i] = new QTextBrowser(detail);
        m_answers[i]->setMinimumHeight(60);
        m_answers[i]->setMaximumHeight(110); // short answers leave room for what the judges said
        column->addWidget(m_answerTitles[i]);
        column->addWidget(m_answers[i]);
        answers->addLayout(column);
    }
    detailLayout->addLayout(answers);
    m_labels = new QTableWidget(0, kLabelColumnCount, detail);
    m_labels->setObjectName(QStringLiteral("currentLabels"));
    {
        QStringList headers{tr("Rater")};
        for (const LabelColumn &c : kLabelColumns)
            headers << tr(c.title);
        headers << tr("Evid.");
        m_labels->setHorizontalHeaderLabels(headers);
        for (int column = 0; column < int(std::size(kLabelColumns)); ++column) {
            const LabelColumn &c = kLabelColumns[column];
            m_labels->horizontalHeaderItem(kFirstFacetColumn + column)
                ->setToolTip(facetUnitName(c.facet, c.slot));
        }
        m_labels->horizontalHeaderItem(kEvidenceColumn)->setToolTip(tr("Evidence passages marked"));
    }
    m_labels->verticalHeader()->hide();
    m_labels->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_labels->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_labels->setSelectionMode(QAbstractItemView::NoSelection);
    m_labels->setFocusPolicy(Qt::NoFocus);
    m_labels->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_labels->horizontalHeader()->setStretchLastSection(true);
    m_labels->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_labels->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    detailLayout->addWidget(
        new QLabel(tr("<b>Current labels</b> · evidence is highlighted in the document in "
                      "each rater's colour"),
                   detail));
    detailLayout->addWidget(m_labels);
    m_notes = new QLabel(detail);
    m_notes->setObjectName(QStringLiteral("raterNotes"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::RichText);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detailLayout->addWidget(m_notes);
    m_rationale = new QTextBrowser(detail);
    m_rationale->setObjectName(QStringLiteral("judgeRationale"));
    m_rationale->setOpenLinks(false);
    m_rationale->setPlaceholderText(tr("No judge has labelled this item."));
    connect(m_rationale, &QTextBrowser::anchorClicked, this, &ReviewView::openLink);
    detailLayout->addWidget(
        new QLabel(tr("<b>What the judges said</b> · click a quote to see it in the document"), detail));
    detailLayout->addWidget(m_rationale, 1);

    auto *gold = new QGroupBox(tr("Adjudicate"), detail);
    auto *goldLayout = new QVBoxLayout(gold);
    m_goldTitle = new QLabel(gold);
    m_goldTitle->setWordWrap(true);
    m_buttons = new QHBoxLayout;
    m_note = new QLineEdit(gold);
    m_note->setPlaceholderText(tr("Why (kept with the gold label)"));
    m_status = new QLabel(gold);
    goldLayout->addWidget(m_goldTitle);
    goldLayout->addLayout(m_buttons);
    goldLayout->addWidget(m_note);
    goldLayout->addWidget(m_status);
    detailLayout->addWidget(gold);

    // The queue above; below it, the unit as in the annotation layout: the document beside the rest.
    m_document = new DocumentView(this);
    auto *unit = new QSplitter(Qt::Horizontal, this);
    unit->addWidget(m_document);
    unit->addWidget(detail);
    unit->setStretchFactor(0, 1);
    unit->setStretchFactor(1, 1);
    // Nothing to review: one sentence in the middle instead of empty answer boxes and fields.
    m_nothing = new QLabel(this);
    m_nothing->setAlignment(Qt::AlignCenter);
    m_nothing->setWordWrap(true);
    m_nothing->setTextFormat(Qt::PlainText);
    m_nothing->setForegroundRole(QPalette::PlaceholderText);
    m_unitPages = new QStackedWidget(this);
    m_unitPages->addWidget(unit);
    m_unitPages->addWidget(m_nothing);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_unitPages);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({260, 700});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_withhold); // a line of its own, only while there is something to hide
    layout->addWidget(splitter, 1);

    for (QComboBox *box : {m_facet, m_kind, m_type, m_raterA, m_raterB})
        connect(box, &QComboBox::currentIndexChanged, this, &ReviewView::applyFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ReviewView::showSelected);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (const model::Disagreement *d = m_queue->disagreement(m_filter->mapToSource(index).row()))
            emit itemActivated(QString::fromStdString(d->unit.itemId));
    });
    // The queue would take number and letter keys as a keyboard search; the review keys win.
    const std::array<QWidget *, 5> keyed = {m_table, m_document->editor(), m_answers[0], m_answers[1],
                                            m_rationale};
    for (QWidget *w : keyed)
        w->installEventFilter(this);
    reload();
}

void ReviewView::setBlind(bool blind)
{
    if (blind == m_blind)
        return;
    m_blind = blind;
    showSelected();
}

void ReviewView::setWithheld(QSet<QString> itemIds, const QString &who)
{
    m_withheld = std::move(itemIds);
    m_withheldFor = who;
    m_withhold->setVisible(!m_withheld.isEmpty());
    applyFilters();
}

void ReviewView::reload()
{
    const model::Disagreement *previous = selectedUnit();
    const std::optional<std::pair<model::UnitRef, model::Facet>> keep =
        previous ? std::optional(std::pair(previous->unit, previous->facet)) : std::nullopt;
    auto labels = m_sources.labels();
    if (!labels) {
        m_count->setText(QString::fromStdString(labels.error().message));
        return;
    }
    m_raters = labels->raters();
    m_names = RaterNames(m_raters);
    m_labelCount = labels->labels().size();
    m_itemCount = labels->items().size();
    std::vector<char> labelling(labels->raters().size(), 0); // raters with a current label
    for (const model::CurrentLabel &l : labels->labels())
        labelling[l.rater] = 1;
    m_labellingRaters = std::size_t(std::count(labelling.begin(), labelling.end(), 1));
    for (QComboBox *box : {m_raterA, m_raterB}) {
        const QString current = box->currentData().toString();
        QSignalBlocker block(box);
        box->clear();
        box->addItem(tr("anyone"), QString());
        for (const model::RaterRef &r : m_raters) {
            box->addItem(m_names.name(r.id), QString::fromStdString(r.id));
            box->setItemData(box->count() - 1, m_names.describe(r.id), Qt::ToolTipRole);
        }
        box->setCurrentIndex(std::max(0, box->findData(current)));
    }
    std::vector<model::Disagreement> disagreements = model::findDisagreements(*labels);
    updateKinds(disagreements);
    m_queue->setDisagreements(std::move(disagreements), m_names);
    applyFilters();
    if (keep)
        for (int row = 0; row < m_filter->rowCount(); ++row) {
            const model::Disagreement *d =
                m_queue->disagreement(m_filter->mapToSource(m_filter->index(row, 0)).row());
            if (d->unit == keep->first && d->facet == keep->second) {
                selectRow(row);
                return;
            }
        }
    if (m_filter->rowCount() > 0)
        selectRow(0);
    else
        showSelected();
}

namespace {
constexpr int kKindData = Qt::UserRole;
constexpr int kSummaryData = Qt::UserRole + 1;
} // namespace

void ReviewView::updateKinds(const std::vector<model::Disagreement> &disagreements)
{
    const QString kind = m_kind->currentData(kKindData).toString();
    const QString summary = m_kind->currentData(kSummaryData).toString();
    std::map<std::string, int> counts;
    for (const model::Disagreement &d : disagreements)
        ++counts[d.summary];
    std::vector<std::pair<std::string, int>> readings(counts.begin(), counts.end());
    std::stable_sort(readings.begin(), readings.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });

    const QSignalBlocker block(m_kind);
    m_kind->clear();
    auto add = [this](const QString &label, const QString &k, const QString &s) {
        m_kind->addItem(label);
        m_kind->setItemData(m_kind->count() - 1, k, kKindData);
        m_kind->setItemData(m_kind->count() - 1, s, kSummaryData);
    };
    add(tr("Any disagreement"), {}, {});
    add(tr("Judge vs humans"), utf8Text(model::toString(model::DisagreementKind::JudgeHuman)), {});
    add(tr("Humans differ"), utf8Text(model::toString(model::DisagreementKind::HumanHuman)), {});
    add(tr("Against gold"), utf8Text(model::toString(model::DisagreementKind::VersusGold)), {});
    add(tr("Judges differ"), utf8Text(model::toString(model::DisagreementKind::JudgeJudge)), {});
    add(tr("Gold raters differ"), utf8Text(model::toString(model::DisagreementKind::GoldGold)), {});
    if (!readings.empty())
        m_kind->insertSeparator(m_kind->count());
    for (const auto &[reading, n] : readings)
        add(tr("%1 (%2)").arg(facetValueText(reading)).arg(n), {}, QString::fromStdString(reading));
    // A reading the lead was working through, all of it decided: it stays chosen, empty,
    // rather than the list jumping to every disagreement.
    if (!summary.isEmpty() && !counts.count(summary.toStdString())) {
        if (readings.empty())
            m_kind->insertSeparator(m_kind->count());
        add(tr("%1 (0)").arg(facetValueText(summary.toStdString())), {}, summary);
    }
    int keep = 0;
    for (int i = 0; i < m_kind->count(); ++i)
        if (m_kind->itemData(i, kKindData).toString() == kind &&
            m_kind->itemData(i, kSummaryData).toString() == summary && !m_kind->itemText(i).isEmpty())
            keep = i;
    m_kind->setCurrentIndex(keep);
}

void ReviewView::applyFilters()
{
    m_filter->setFacet(m_facet->currentData().toInt());
    m_filter->setKind(m_kind->currentData(kKindData).toString());
    m_filter->setSummary(m_kind->currentData(kSummaryData).toString());
    m_filter->setQuestionType(m_type->currentData().toString());
    m_filter->setRaterPair(m_raterA->currentData().toString(), m_raterB->currentData().toString());
    const bool withholding = m_withhold->isChecked() && !m_withheld.isEmpty();
    m_filter->setWithheld(withholding ? m_withheld : QSet<QString>());
    QString count = tr("%1 of %2 disagreements").arg(m_filter->rowCount()).arg(m_queue->rowCount());
    if (withholding) {
        int hidden = 0; // disagreements on the items held back (not every such item has one)
        for (int row = 0; row < m_queue->rowCount(); ++row)
            hidden += m_withheld.contains(m_queue->index(row, 0).data().toString());
        count += tr(" · %1 hidden until %2 finishes those items").arg(QString::number(hidden), m_withheldFor);
    }
    m_count->setText(count);
    if (!selectedUnit() && m_filter->rowCount() > 0)
        selectRow(0);
}

int ReviewView::visibleUnits() const { return m_filter->rowCount(); }

void ReviewView::selectRow(int row)
{
    m_table->selectRow(row);
    m_table->setCurrentIndex(m_filter->index(row, 0));
    showSelected();
}

bool ReviewView::showItem(const QString &itemId)
{
    for (int row = 0; row < m_filter->rowCount(); ++row)
        if (m_filter->index(row, 0).data().toString() == itemId) {
            selectRow(row);
            m_table->scrollTo(m_filter->index(row, 0));
            return true;
        }
    return false;
}

const model::Disagreement *ReviewView::selectedUnit() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return nullptr;
    return m_queue->disagreement(m_filter->mapToSource(current).row());
}

QString ReviewView::nothingToReview() const
{
    if (m_queue->rowCount() > 0 && m_withhold->isChecked() && !m_withheld.isEmpty())
        return tr("Disagreements on items you have not finished are hidden, so that other raters' labels "
                  "cannot sway yours (blind annotation). Label them first; a lead who does not annotate "
                  "can untick “Hide items I have not finished”.");
    if (m_queue->rowCount() > 0)
        return tr("Nothing to review with these filters.");
    if (m_itemCount == 0)
        return tr("This project has no items yet. Import a JSONL file with File ▸ Import… or drop it on "
                  "this window.");
    if (m_labelCount == 0)
        return tr("No labels yet. Disagreements show here once two raters — annotators or a judge — "
                  "have labelled the same items.");
    if (m_labellingRaters < 2)
        return tr("Only one rater has labelled so far. Disagreements show here once a second annotator "
                  "or the judge labels the same items.");
    return tr("No disagreements: the raters agree on every item and facet they share.");
}

void ReviewView::showSelected()
{
    for (QPushButton *b : m_valueButtons) {
        // Later, not now: this may run inside the clicked() of one of these buttons.
        m_buttons->removeWidget(b);
        b->hide();
        b->deleteLater();
    }
    m_valueButtons.clear();
    m_labels->setRowCount(0);
    const model::Disagreement *d = selectedUnit();
    m_rationale->clear();
    if (!d) {
        const QString nothing = nothingToReview();
        m_question->setText(nothing);
        m_document->clear(nothing);
        m_nothing->setText(nothing);
        m_unitPages->setCurrentWidget(m_nothing);
        m_goldTitle->clear();
        m_notes->clear();
        fitLabelsTable();
        for (int i = 0; i < 2; ++i) {
            m_answers[i]->clear();
            m_answerTitles[i]->clear();
        }
        return;
    }
    m_unitPages->setCurrentIndex(0);
    auto item = m_sources.item(d->unit.itemId);
    if (item) {
        m_question->setText(tr("<b>%1</b> · %2<br>%3")
                                .arg(QString::fromStdString(item->id).toHtmlEscaped(),
                                     questionTypeName(item->type),
                                     QString::fromStdString(item->question).toHtmlEscaped()));
        for (model::Slot slot : model::kSlots) {
            const int i = int(slot);
            const bool focus = d->unit.slot == slot;
            // Blind projects hide systems everywhere, here too: a lead who labels as well must not learn
            // them.
            const QString title =
                m_blind ? tr("Answer %1").arg(utf8Text(model::toString(slot)))
                        : tr("Answer %1 — %2")
                              .arg(utf8Text(model::toString(slot)),
                                   QString::fromStdString(item->answer(slot).system).toHtmlEscaped());
            m_answerTitles[i]->setText(focus ? QStringLiteral("<b>%1</b>").arg(title) : title);
            m_answers[i]->setPlainText(QString::fromStdString(item->answer(slot).text));
        }
    } else {
        m_question->setText(QString::fromStdString(item.error().message));
    }
    // The document, with every rater's evidence on this item in the rater's colour.
    if (item && m_sources.document) {
        const QString documentId = QString::fromStdString(item->documentId);
        if (!m_document->showCached(documentId)) {
            if (auto document = m_sources.document(item->documentId))
                m_document->showDocument(documentId,
                                         QString::fromStdString(document->title.value_or(document->id)),
                                         QString::fromStdString(document->text));
            else
                m_document->clear(QString::fromStdString(document.error().message));
        }
        m_document->setEvidencePosition(item->evidencePosition);
    }
    // Every rater with a label on the item, ordered as the unit lists them (humans, judges, gold),
    // each in the colour of its place among the project's raters.
    struct Row
    {
        std::string rater;
        model::RaterKind kind;
        int index;
        model::ItemLabel label;
    };
    std::vector<Row> rows;
    for (int i = 0; i < int(m_raters.size()); ++i) {
        const model::RaterRef &r = m_raters[std::size_t(i)];
        model::ItemLabel label;
        if (m_sources.label)
            if (auto read = m_sources.label(r.id, d->unit.itemId))
                label = std::move(*read);
        // Without a label source (or when it lags behind), the value the unit holds still shows.
        for (const model::RaterValue &v : d->values)
            if (v.rater == r.id && !model::valueOf(label, d->facet, d->unit.slot))
                model::setValue(label, d->facet, d->unit.slot, v.value);
        if (hasAnything(label))
            rows.push_back({r.id, r.kind, i, std::move(label)});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        return std::make_pair(kindOrder(a.kind), a.rater) < std::make_pair(kindOrder(b.kind), b.rater);
    });

    std::vector<DocumentView::Mark> marks;
    QString rationale;
    QStringList notes, unexplained;
    bool anyJudge = false;
    QFont bold = m_labels->font();
    bold.setBold(true);
    // The facet under review: a tint of the selection colour over the table's background, with
    // the table's own text colour, readable in a light and a dark palette.
    const QPalette pal = m_labels->palette();
    const QColor focusBackground =
        shade::mix(pal.color(QPalette::Base), pal.color(QPalette::Highlight), 0.22);
    const QColor missingText = shade::secondaryText(pal);
    m_labels->setRowCount(int(rows.size()));
    for (int row = 0; row < int(rows.size()); ++row) {
        const Row &r = rows[std::size_t(row)];
        const QColor colour = raterColor(r.index);
        const QString rater = m_names.name(r.rater);
        auto *name = new QTableWidgetItem(rater);
        name->setBackground(colour);
        name->setForeground(QColor(0x20, 0x20, 0x20));
        name->setToolTip(m_names.describe(r.rater));
        name->setData(Qt::UserRole, QString::fromStdString(r.rater)); // the id, the name may be anything
        m_labels->setItem(row, 0, name);
        for (int column = 0; column < int(std::size(kLabelColumns)); ++column) {
            const LabelColumn &c = kLabelColumns[column];
            const std::optional<std::string> value = model::valueOf(r.label, c.facet, c.slot);
            auto *cell = new QTableWidgetItem(value ? facetValueText(*value) : QStringLiteral("—"));
            cell->setTextAlignment(Qt::AlignCenter);
            if (c.facet == d->facet && c.slot == d->unit.slot) {
                cell->setFont(bold);
                cell->setBackground(focusBackground);
                cell->setForeground(shade::readableOn(pal.color(QPalette::Text), focusBackground));
            } else if (!value) {
                cell->setForeground(missingText);
            }
            m_labels->setItem(row, kFirstFacetColumn + column, cell);
        }
        auto *evidence = new QTableWidgetItem(
            r.label.evidence.empty() ? QStringLiteral("—") : QString::number(r.label.evidence.size()));
        evidence->setTextAlignment(Qt::AlignCenter);
        m_labels->setItem(row, kEvidenceColumn, evidence);
        for (const model::EvidenceSpan &span : r.label.evidence)
            marks.push_back({span.start, span.end, colour});
        const QString chip =
            QStringLiteral("<span style='background:%1; color:#202020'>&nbsp;%2&nbsp;</span>")
                .arg(colour.name(), rater.toHtmlEscaped());
        if (r.kind == model::RaterKind::Gold && m_sources.decisionNote) {
            // Gold reasons are per decision: the reason given for this unit's value, not
            // whatever reason the lead gave last on the item.
            if (auto reason = m_sources.decisionNote(r.rater, d->unit.itemId, d->facet, d->unit.slot);
                reason && *reason)
                notes << tr("%1 (this decision) %2").arg(chip, esc(**reason));
        } else if (!r.label.note.empty()) {
            notes << QStringLiteral("%1 %2").arg(chip, esc(r.label.note));
        }
        if (r.kind == model::RaterKind::Judge) {
            anyJudge = true;
            std::optional<model::JudgeRationale> said;
            if (m_sources.rationale)
                if (auto read = m_sources.rationale(r.rater, d->unit.itemId); read && !read->empty())
                    said = std::move(*read);
            if (said)
                rationale += rationaleHtml(rater, colour, *said, d->unit.slot, m_rationale->palette());
            else
                unexplained << chip;
        }
    }
    for (int column = 0; column < int(std::size(kLabelColumns)); ++column) {
        const LabelColumn &c = kLabelColumns[column];
        QFont font = m_labels->horizontalHeader()->font();
        font.setBold(c.facet == d->facet && c.slot == d->unit.slot);
        m_labels->horizontalHeaderItem(kFirstFacetColumn + column)->setFont(font);
    }
    fitLabelsTable();
    m_notes->setText(notes.isEmpty() ? tr("<span style='color:%1'>No notes on this item.</span>")
                                           .arg(shade::secondaryText(palette()).name())
                                     : tr("<b>Notes</b><br>") + notes.join(QStringLiteral("<br>")));
    m_document->setMarks(std::move(marks));
    // A judge imported from JSONL has labels but no stored rationale: say so, rather than that no
    // judge labelled the item.
    if (!rationale.isEmpty() && !unexplained.isEmpty())
        rationale += tr("<p>%1: labels imported; no rationale is stored.</p>")
                         .arg(unexplained.join(QStringLiteral(" ")));
    m_rationale->setPlaceholderText(!anyJudge ? tr("No judge has labelled this item.")
                                    : unexplained.size() == 1
                                        ? tr("This judge's labels were imported; no rationale is stored.")
                                        : tr("These judges' labels were imported; no rationale is stored."));
    m_rationale->setHtml(rationale);
    m_goldTitle->setText(
        tr("Gold label for %1 — press a key or click:").arg(facetUnitName(d->facet, d->unit.slot)));
    for (const GoldKey &key : goldKeys(d->facet)) {
        auto *button =
            new QPushButton(QStringLiteral("%1   %2").arg(key.name, facetValueText(key.value)), this);
        button->setToolTip(tr("Store %1 as gold (key %2)").arg(facetValueText(key.value), key.name));
        button->setFocusPolicy(Qt::NoFocus);
        connect(button, &QPushButton::clicked, this, [this, v = std::string(key.value)] { adjudicate(v); });
        m_buttons->addWidget(button);
        m_valueButtons.push_back(button);
    }
}

void ReviewView::fitLabelsTable()
{
    // Tall enough for every rater (up to eight rows, then it scrolls); the rationale takes the rest.
    constexpr int kMaxRows = 8;
    m_labels->resizeRowsToContents();
    int height = m_labels->horizontalHeader()->sizeHint().height() + 2 * m_labels->frameWidth();
    const int rows = m_labels->rowCount();
    const int rowHeight =
        rows > 0 ? m_labels->rowHeight(0) : m_labels->verticalHeader()->defaultSectionSize();
    for (int row = 0; row < std::min(rows, kMaxRows); ++row)
        height += m_labels->rowHeight(row);
    if (rows == 0)
        height += rowHeight;
    if (m_labels->horizontalHeader()->length() > m_labels->viewport()->width())
        height += m_labels->horizontalScrollBar()->sizeHint().height();
    m_labels->setFixedHeight(height);
}

bool ReviewView::adjudicate(const std::string &value, bool advance)
{
    const model::Disagreement *d = selectedUnit();
    if (!d)
        return false;
    const model::UnitRef unit = d->unit; // copies: reload() replaces the queue's disagreements
    return adjudicateUnit(unit, d->facet, value, advance);
}

bool ReviewView::adjudicateUnit(const model::UnitRef &unit, model::Facet facet, const std::string &value,
                                bool advance)
{
    if (!model::isValidValue(facet, value))
        return false;
    model::LabelRevision revision;
    revision.itemId = unit.itemId;
    revision.raterId = m_goldRater;
    revision.raterKind = model::RaterKind::Gold;
    revision.values.push_back({facet, unit.slot, value});
    if (!m_note->text().trimmed().isEmpty())
        revision.note = m_note->text().trimmed().toStdString();
    revision.createdAt =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")).toStdString();
    const model::Status saved = m_sources.save(revision);
    if (!saved) {
        m_status->setText(tr("Not saved: %1").arg(QString::fromStdString(saved.error().message)));
        return false;
    }
    const QString itemId = QString::fromStdString(unit.itemId);
    m_status->setText(tr("Saved: gold %1 for %2").arg(facetValueText(value), itemId));
    m_note->clear();
    const int row = m_table->currentIndex().row();
    reload(); // keeps the decided unit selected when it is still listed
    const model::Disagreement *now = selectedUnit();
    const bool stillListed = now && now->unit == unit && now->facet == facet;
    if (!stillListed) {
        // The decision took it off the list (its reading now names gold, or it agrees with
        // gold): the unit in its place is the next one to review, not the one after that.
        if (m_filter->rowCount() > 0)
            selectRow(std::clamp(row, 0, m_filter->rowCount() - 1));
    } else if (advance && row + 1 < m_filter->rowCount()) {
        selectRow(row + 1);
    }
    emit adjudicated(itemId);
    return true;
}

bool ReviewView::handleKey(int key)
{
    if (m_note->hasFocus())
        return false;
    if (const model::Disagreement *d = selectedUnit()) {
        for (const GoldKey &k : goldKeys(d->facet))
            if (k.key == key) {
                adjudicate(std::string(k.value));
                return true;
            }
        // The workspace's other keys: ← ↓ → for a preference or criterion (↓ moves in the queue
        // while the queue has focus, as it does in the workspace's list), G and D for the no-info
        // outcome, each pressed again for its other value. Not while reading the document, an
        // answer or the judges' text: there the arrows scroll and move the cursor, and a gold
        // decision has no undo (the digit keys still decide there).
        const bool reading = m_document->editor()->hasFocus() || m_answers[0]->hasFocus() ||
                             m_answers[1]->hasFocus() || m_rationale->hasFocus();
        const bool choice = d->facet != model::Facet::Faithful && d->facet != model::Facet::NoInfo;
        if (choice && !reading &&
            (key == Qt::Key_Left || key == Qt::Key_Right || (key == Qt::Key_Down && !m_table->hasFocus()))) {
            adjudicate(key == Qt::Key_Left ? "A" : key == Qt::Key_Right ? "B" : "tie");
            return true;
        }
        if (key == Qt::Key_G || key == Qt::Key_D) {
            // Pressed again within a few seconds: the unit just decided, wherever the list is now.
            model::UnitRef unit = d->unit;
            model::Facet facet = d->facet;
            if (m_lastOutcome && m_lastOutcome->key == key && m_lastOutcome->when.elapsed() < 4000) {
                unit = m_lastOutcome->unit;
                facet = model::Facet::NoInfo;
            }
            if (facet == model::Facet::NoInfo) {
                std::string gold; // as committed: the queue may not have reloaded since the last key
                if (m_sources.label)
                    if (auto label = m_sources.label(m_goldRater, unit.itemId))
                        gold = model::valueOf(*label, facet, unit.slot).value_or(std::string());
                const char *first = key == Qt::Key_G ? "answered" : "declined_correctly";
                const char *second = key == Qt::Key_G ? "hallucinated" : "declined_wrongly";
                if (adjudicateUnit(unit, facet, gold == first ? second : first, false)) {
                    m_lastOutcome = OutcomeDecision{unit, key, {}};
                    m_lastOutcome->when.start();
                }
                return true;
            }
        }
    }
    if (key == Qt::Key_J || key == Qt::Key_PageDown) {
        selectRow(std::min(m_table->currentIndex().row() + 1, m_filter->rowCount() - 1));
        return true;
    }
    if (key == Qt::Key_K || key == Qt::Key_PageUp) {
        selectRow(std::max(m_table->currentIndex().row() - 1, 0));
        return true;
    }
    return false;
}

void ReviewView::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() == Qt::ControlModifier && event->key() == Qt::Key_M) {
        m_note->setFocus(Qt::ShortcutFocusReason); // as the workspace's note: Ctrl+M
        return;
    }
    if ((event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && handleKey(event->key()))
        return;
    QWidget::keyPressEvent(event);
}

bool ReviewView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() == Qt::ControlModifier && key->key() == Qt::Key_M) {
            m_note->setFocus(Qt::ShortcutFocusReason);
            return true;
        }
        if ((key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && handleKey(key->key()))
            return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace concord::ui
