#pragma once
/// @file annotatordialog.h
/// Asks who is labelling: an existing human rater of the project, or a new name (stored as a new
/// human rater with its first label). Refuses a name whose id belongs to a judge or gold rater.

#include "domain.h"

#include <QDialog>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace concord::ui {

class AnnotatorDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnnotatorDialog)

public:
    /// `raters` are the project's raters (may be empty); `current` is preselected when given.
    AnnotatorDialog(const std::vector<model::Rater> &raters, const model::Rater &current,
                    QWidget *parent = nullptr);

    /// The chosen annotator (a human rater); valid after exec() returned Accepted.
    model::Rater annotator() const { return m_chosen; }

private:
    void validate();

    std::vector<model::Rater> m_raters;
    QComboBox *m_name = nullptr;
    QLabel *m_explain = nullptr;
    QPushButton *m_ok = nullptr;
    model::Rater m_chosen;
};

} // namespace concord::ui
