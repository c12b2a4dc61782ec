#pragma once
/// @file labelsession.h
/// One annotator's labelling session on one project: the single path every labelling action (and
/// every undo of one) takes. It keeps the annotator's current label of each item seen so far,
/// turns each change into a label revision (canonical A/B terms, the order shown on screen, the
/// time spent on the item, a millisecond UTC timestamp) and hands it to the LabelSaver. What the
/// screen shows is what the revisions say, so the project file always matches the screen.

#include "labelstore.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>

namespace concord::ui {

class LabelSaver;

/// What one labelling act changes; the fields left empty stay as they are.
struct LabelEdit
{
    std::vector<model::FacetValue> values; ///< empty value: withdraw the facet
    std::optional<std::vector<model::EvidenceSpan>> evidence;
    std::optional<std::string> note;
};

class LabelSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LabelSession)

public:
    /// `store` reads current labels on the GUI thread; `saver` writes. Both must outlive the session.
    LabelSession(model::LabelStore &store, LabelSaver &saver, model::Rater annotator, bool blind,
                 QObject *parent = nullptr);

    const model::Rater &annotator() const { return m_annotator; }
    bool blind() const { return m_blind; }

    /// "AB" or "BA": the order the annotator sees the item's answers in, left to right. Blind
    /// sessions use model::blindOrder(); otherwise A is always on the left.
    QString shownOrder(const QString &itemId) const;

    /// The annotator's current label of the item, read from the project on first use. A read
    /// failure is reported through readFailed() and gives an empty label. The reference is valid
    /// until the next call of label() or apply().
    const model::ItemLabel &label(const QString &itemId);

    /// Forgets every label read so far: the next label() of an item reads it from the project
    /// again. For when another writer changed labels (an import); call it once every revision
    /// this session handed to the saver is saved, or the re-read would miss them.
    void forgetLabels() { m_labels.clear(); }

    /// Applies `edit` to the item's label, saves it as one revision, and emits labelChanged().
    void apply(const QString &itemId, const LabelEdit &edit);

    /// Starts timing `itemId` (the item on screen); time on the previous item stops.
    void setCurrentItem(const QString &itemId);
    /// Stops or resumes the clock (the window lost or regained focus).
    void setTiming(bool running);
    /// Seconds spent on the item in this session, to the millisecond.
    double timeSpent(const QString &itemId) const;

signals:
    void labelChanged(const QString &itemId);
    /// Reading a label from the project failed; the message is for the user.
    void readFailed(const QString &message);

private:
    model::LabelStore &m_store;
    LabelSaver &m_saver;
    model::Rater m_annotator;
    bool m_blind;
    QHash<QString, model::ItemLabel> m_labels;
    QHash<QString, qint64> m_spentMs;
    QString m_current;
    QElapsedTimer m_clock;
    bool m_timing = true;
};

/// The current time in UTC with milliseconds, "2026-11-28T10:00:00.123Z".
QString utcTimestamp();

} // namespace concord::ui
