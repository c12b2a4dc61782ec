#pragma once
/// @file shortcutsdialog.h
/// The keyboard cheat sheet: every action of the window that has a shortcut, grouped as the
/// actions say (their "group" property), so the sheet cannot drift from the keys that work.

#include <QDialog>
#include <QList>

class QAction;

namespace concord::ui {

class ShortcutsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ShortcutsDialog)

public:
    /// Groups are shown in the order their first action appears in `actions`.
    explicit ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent = nullptr);

    /// The sheet as HTML (also what the dialog shows).
    static QString sheet(const QList<QAction *> &actions);
};

} // namespace concord::ui
