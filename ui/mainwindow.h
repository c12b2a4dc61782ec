#pragma once
/// @file mainwindow.h
/// The Concord main window: item queue, source document, question with the two answers.

#include <QMainWindow>

#include <memory>

class QListWidget;
class QPlainTextEdit;
class QLabel;
class QTextBrowser;

namespace concord::model {
class ProjectRepository;
}

namespace concord::ui {

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /// `projectName` is shown in the title bar; `repository` must outlive the window.
    MainWindow(model::ProjectRepository &repository, const QString &projectName, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Shows the item at `row` of the queue.
    void showItem(int row);

private:
    void loadQueue();

    model::ProjectRepository &m_repository;
    QListWidget *m_queue = nullptr;
    QPlainTextEdit *m_document = nullptr;
    QLabel *m_question = nullptr;
    QTextBrowser *m_answers[2] = {nullptr, nullptr};
    QString m_shownDocument;
};

} // namespace concord::ui
