#include "mainwindow.h"

#include "repository.h"

#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace concord::ui {

MainWindow::MainWindow(model::ProjectRepository &repository, const QString &projectName, QWidget *parent)
    : QMainWindow(parent), m_repository(repository)
{
    setWindowTitle(tr("%1 — Concord").arg(projectName));
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_queue = new QListWidget(splitter);
    m_document = new QPlainTextEdit(splitter);
    m_document->setReadOnly(true);
    auto *right = new QWidget(splitter);
    auto *layout = new QVBoxLayout(right);
    m_question = new QLabel(right);
    m_question->setWordWrap(true);
    layout->addWidget(m_question);
    auto *answers = new QSplitter(Qt::Horizontal, right);
    for (auto &view : m_answers)
        view = new QTextBrowser(answers);
    layout->addWidget(answers, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    setCentralWidget(splitter);
    connect(m_queue, &QListWidget::currentRowChanged, this, &MainWindow::showItem);
    loadQueue();
    resize(1400, 850);
}

MainWindow::~MainWindow() = default;

void MainWindow::loadQueue()
{
    auto items = m_repository.itemSummaries();
    if (!items) {
        statusBar()->showMessage(QString::fromStdString(items.error().message));
        return;
    }
    for (const auto &s : *items)
        m_queue->addItem(QString::fromStdString(s.id));
    statusBar()->showMessage(tr("%n item(s)", nullptr, int(items->size())));
    if (!items->empty())
        m_queue->setCurrentRow(0);
}

void MainWindow::showItem(int row)
{
    if (row < 0)
        return;
    auto item = m_repository.item(m_queue->item(row)->text().toStdString());
    if (!item) {
        statusBar()->showMessage(QString::fromStdString(item.error().message));
        return;
    }
    m_question->setText(QString::fromStdString(item->question));
    for (int i = 0; i < 2; ++i)
        m_answers[i]->setPlainText(QString::fromStdString(item->answers[std::size_t(i)].text));
    const QString documentId = QString::fromStdString(item->documentId);
    if (documentId != m_shownDocument) {
        auto document = m_repository.document(item->documentId);
        if (document)
            m_document->setPlainText(QString::fromStdString(document->text));
        m_shownDocument = documentId;
    }
}

} // namespace concord::ui
