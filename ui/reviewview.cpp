#include "reviewview.h"

#include "documentview.h"
#include "models/reviewqueuemodel.h"

#include <QComboBox>
#include <QDateTime>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace concord::ui {

namespace {

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString valueLabel(model::Facet facet, std::string_view value)
{
    if (facet == model::Facet::NoInfo)
        return text(value).replace(QLatin1Char('_'), QLatin1Char(' '));
    return text(value);
}

QString choiceText(model::Choice c)
{
    return c == model::Choice::A ? QStringLiteral("A") : c == model::Choice::B ? QStringLiteral("B") : QObject::tr("tie");
}

QString esc(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }

/// One judge's explanations, claims and no-info reasoning on an item. The claims of `focus` (the
/// answer under review, if the facet is per answer) come first.
QString rationaleHtml(const QString &rater, const QColor &colour, const model::JudgeRationale &r,
                      std::optional<model::Slot> focus)
{
    QString h = QStringLiteral("<h3 style='margin-bottom:2px'><span style='background:%1'>&nbsp;%2&nbsp;</span></h3>")
                    .arg(colour.name(), rater.toHtmlEscaped());
    if (r.preference) {
        const auto &p = *r.preference;
        h += QObject::tr("<p><b>Preference %1</b> — with A shown first: %2; with B shown first: %3 (%4).</p>")
                 .arg(choiceText(p.preference), choiceText(p.overallAB), choiceText(p.overallBA),
                      p.consistent ? QObject::tr("consistent") : QObject::tr("<span style='color:#c62828'>inconsistent</span>"));
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
        const QString mark = supported ? QStringLiteral("<span style='color:#2e7d32'>✓ %1</span>")
                                       : QStringLiteral("<span style='color:#c62828'>✗ %1</span>");
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
                                           : QStringLiteral("<br><span style='color:#555'>%1</span>").arg(esc(c->reasoning)));
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

QColor ReviewView::raterColor(int index)
{
    static const QColor kColours[] = {QColor(0xff, 0xe0, 0x8a), QColor(0xa8, 0xd8, 0xff), QColor(0xc5, 0xe8, 0xb0),
                                      QColor(0xf5, 0xb8, 0xd0), QColor(0xd6, 0xc8, 0xf5), QColor(0xff, 0xc9, 0xa3)};
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
        m_facet->addItem(text(model::toString(f)), int(f));
    m_kind = new QComboBox(this);
    m_kind->addItem(tr("Any disagreement"), QString());
    m_kind->addItem(tr("Judge vs humans"), text(model::toString(model::DisagreementKind::JudgeHuman)));
    m_kind->addItem(tr("Humans differ"), text(model::toString(model::DisagreementKind::HumanHuman)));
    m_kind->addItem(tr("Against gold"), text(model::toString(model::DisagreementKind::VersusGold)));
    m_type = new QComboBox(this);
    m_type->addItem(tr("All question types"), QString());
    for (model::QuestionType t : model::kQuestionTypes)
        m_type->addItem(text(model::toString(t)).replace(QLatin1Char('_'), QLatin1Char(' ')), text(model::toString(t)));
    m_raterA = new QComboBox(this);
    m_raterB = new QComboBox(this);
    m_count = new QLabel(this);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_facet);
    filters->addWidget(m_kind);
    filters->addWidget(m_type);
    filters->addWidget(new QLabel(tr("Between"), this));
    filters->addWidget(m_raterA);
    filters->addWidget(new QLabel(tr("and"), this));
    filters->addWidget(m_raterB);
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
        m_answers[i]->setMinimumHeight(70);
        m_answers[i]->setMaximumHeight(150);
        column->addWidget(m_answerTitles[i]);
        column->addWidget(m_answers[i]);
        answers->addLayout(column);
    }
    detailLayout->addLayout(answers, 2);
    m_labels = new QTableWidget(0, 5, detail);
    m_labels->setHorizontalHeaderLabels({tr("Rater"), tr("Kind"), tr("Value"), tr("Evidence"), tr("Note")});
    m_labels->verticalHeader()->hide();
    m_labels->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_labels->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_labels->horizontalHeader()->setStretchLastSection(true);
    m_labels->setWordWrap(true);
    m_labels->setMaximumHeight(170);
    detailLayout->addWidget(new QLabel(tr("<b>Current labels</b> · evidence is highlighted in the document in "
                                          "each rater's colour"),
                                       detail));
    detailLayout->addWidget(m_labels, 1);
    m_rationale = new QTextBrowser(detail);
    m_rationale->setObjectName(QStringLiteral("judgeRationale"));
    m_rationale->setOpenLinks(false);
    m_rationale->setPlaceholderText(tr("No judge has labelled this item."));
    connect(m_rationale, &QTextBrowser::anchorClicked, this, &ReviewView::openLink);
    detailLayout->addWidget(new QLabel(tr("<b>What the judges said</b> · click a quote to see it in the document"),
                                       detail));
    detailLayout->addWidget(m_rationale, 3);

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
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(unit);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({260, 700});

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);

    for (QComboBox *box : {m_facet, m_kind, m_type, m_raterA, m_raterB})
        connect(box, &QComboBox::currentIndexChanged, this, &ReviewView::applyFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ReviewView::showSelected);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (const model::Disagreement *d = m_queue->disagreement(m_filter->mapToSource(index).row()))
            emit itemActivated(QString::fromStdString(d->unit.itemId));
    });
    reload();
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
    QStringList raters;
    for (const model::RaterRef &r : labels->raters())
        raters << QString::fromStdString(r.id);
    for (QComboBox *box : {m_raterA, m_raterB}) {
        const QString current = box->currentData().toString();
        QSignalBlocker block(box);
        box->clear();
        box->addItem(tr("anyone"), QString());
        for (const QString &r : raters)
            box->addItem(r, r);
        box->setCurrentIndex(std::max(0, box->findData(current)));
    }
    m_queue->setDisagreements(model::findDisagreements(*labels));
    applyFilters();
    if (keep)
        for (int row = 0; row < m_filter->rowCount(); ++row) {
            const model::Disagreement *d = m_queue->disagreement(m_filter->mapToSource(m_filter->index(row, 0)).row());
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

void ReviewView::applyFilters()
{
    m_filter->setFacet(m_facet->currentData().toInt());
    m_filter->setKind(m_kind->currentData().toString());
    m_filter->setQuestionType(m_type->currentData().toString());
    m_filter->setRaterPair(m_raterA->currentData().toString(), m_raterB->currentData().toString());
    m_count->setText(tr("%1 of %2 disagreements").arg(m_filter->rowCount()).arg(m_queue->rowCount()));
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

const model::Disagreement *ReviewView::selectedUnit() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return nullptr;
    return m_queue->disagreement(m_filter->mapToSource(current).row());
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
        m_question->setText(tr("Nothing to review with these filters."));
        m_document->clear(tr("Nothing to review with these filters."));
        m_goldTitle->clear();
        for (int i = 0; i < 2; ++i) {
            m_answers[i]->clear();
            m_answerTitles[i]->clear();
        }
        return;
    }
    auto item = m_sources.item(d->unit.itemId);
    if (item) {
        m_question->setText(tr("<b>%1</b> · %2<br>%3")
                                .arg(QString::fromStdString(item->id).toHtmlEscaped(),
                                     text(model::toString(item->type)).replace(QLatin1Char('_'), QLatin1Char(' ')),
                                     QString::fromStdString(item->question).toHtmlEscaped()));
        for (model::Slot slot : model::kSlots) {
            const int i = int(slot);
            const bool focus = d->unit.slot == slot;
            m_answerTitles[i]->setText(tr("%1Answer %2 — %3%4")
                                           .arg(focus ? QStringLiteral("<b>") : QString(), text(model::toString(slot)),
                                                QString::fromStdString(item->answer(slot).system).toHtmlEscaped(),
                                                focus ? QStringLiteral("</b>") : QString()));
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
                m_document->showDocument(documentId, QString::fromStdString(document->title.value_or(document->id)),
                                         QString::fromStdString(document->text));
            else
                m_document->clear(QString::fromStdString(document.error().message));
        }
        m_document->setEvidencePosition(item->evidencePosition);
    }
    std::vector<DocumentView::Mark> marks;
    QString rationale;
    int index = 0;
    for (const model::RaterValue &v : d->values) {
        const int row = m_labels->rowCount();
        m_labels->insertRow(row);
        const QColor colour = raterColor(index++);
        QString note, evidence = QStringLiteral("—");
        if (m_sources.label)
            if (auto label = m_sources.label(v.rater, d->unit.itemId)) {
                note = QString::fromStdString(label->note);
                if (!label->evidence.empty())
                    evidence = QString::number(label->evidence.size());
                for (const model::EvidenceSpan &span : label->evidence)
                    marks.push_back({span.start, span.end, colour});
            }
        auto *rater = new QTableWidgetItem(QString::fromStdString(v.rater));
        rater->setBackground(colour);
        rater->setForeground(QColor(0x20, 0x20, 0x20));
        m_labels->setItem(row, 0, rater);
        m_labels->setItem(row, 1, new QTableWidgetItem(text(model::toString(v.kind))));
        m_labels->setItem(row, 2, new QTableWidgetItem(valueLabel(d->facet, v.value)));
        m_labels->setItem(row, 3, new QTableWidgetItem(evidence));
        m_labels->setItem(row, 4, new QTableWidgetItem(note));
        if (v.kind == model::RaterKind::Judge && m_sources.rationale)
            if (auto said = m_sources.rationale(v.rater, d->unit.itemId); said && !said->empty())
                rationale += rationaleHtml(QString::fromStdString(v.rater), colour, *said, d->unit.slot);
    }
    m_document->setMarks(std::move(marks));
    m_rationale->setHtml(rationale);
    const QString facet = text(model::toString(d->facet)) +
                          (d->unit.slot ? tr(" of answer %1").arg(text(model::toString(*d->unit.slot))) : QString());
    m_goldTitle->setText(tr("Gold %1 — press a number or click:").arg(facet));
    int n = 1;
    for (std::string_view value : model::valuesOf(d->facet)) {
        auto *button = new QPushButton(QStringLiteral("&%1  %2").arg(n++).arg(valueLabel(d->facet, value)), this);
        button->setFocusPolicy(Qt::NoFocus);
        connect(button, &QPushButton::clicked, this, [this, v = std::string(value)] { adjudicate(v); });
        m_buttons->addWidget(button);
        m_valueButtons.push_back(button);
    }
}

bool ReviewView::adjudicate(const std::string &value)
{
    const model::Disagreement *d = selectedUnit();
    if (!d || !model::isValidValue(d->facet, value))
        return false;
    model::LabelRevision revision;
    revision.itemId = d->unit.itemId;
    revision.raterId = m_goldRater;
    revision.raterKind = model::RaterKind::Gold;
    revision.values.push_back({d->facet, d->unit.slot, value});
    if (!m_note->text().trimmed().isEmpty())
        revision.note = m_note->text().trimmed().toStdString();
    revision.createdAt =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")).toStdString();
    const model::Status saved = m_sources.save(revision);
    if (!saved) {
        m_status->setText(tr("Not saved: %1").arg(QString::fromStdString(saved.error().message)));
        return false;
    }
    const QString itemId = QString::fromStdString(d->unit.itemId);
    m_status->setText(tr("Saved: gold %1 for %2").arg(valueLabel(d->facet, value), itemId));
    m_note->clear();
    const int row = m_table->currentIndex().row();
    reload();
    // Move on to the next unit to review (the adjudicated one may stay listed against gold).
    if (row + 1 < m_filter->rowCount())
        selectRow(row + 1);
    emit adjudicated(itemId);
    return true;
}

void ReviewView::keyPressEvent(QKeyEvent *event)
{
    const model::Disagreement *d = selectedUnit();
    const int key = event->key();
    if (d && key >= Qt::Key_1 && key <= Qt::Key_9 && !m_note->hasFocus()) {
        const auto values = model::valuesOf(d->facet);
        const auto index = std::size_t(key - Qt::Key_1);
        if (index < values.size()) {
            adjudicate(std::string(values[index]));
            return;
        }
    }
    if ((key == Qt::Key_J || key == Qt::Key_PageDown) && !m_note->hasFocus()) {
        selectRow(std::min(m_table->currentIndex().row() + 1, m_filter->rowCount() - 1));
        return;
    }
    if ((key == Qt::Key_K || key == Qt::Key_PageUp) && !m_note->hasFocus()) {
        selectRow(std::max(m_table->currentIndex().row() - 1, 0));
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace concord::ui
