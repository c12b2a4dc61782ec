#include "annotatordialog.h"

#include "answerpanel.h"
#include "labelling.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace concord::ui {

namespace {

QString display(const model::Rater &r)
{
    const QString id = QString::fromStdString(r.id);
    return r.name ? QStringLiteral("%1 (%2)").arg(QString::fromStdString(*r.name), id) : id;
}

} // namespace

AnnotatorDialog::AnnotatorDialog(const std::vector<model::Rater> &raters, const model::Rater &current,
                                 QWidget *parent)
    : QDialog(parent), m_raters(raters)
{
    setWindowTitle(tr("Who is labelling?"));
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(tr("Your labels are stored under your name, so that agreement between raters can be "
                      "measured. Choose yourself from the list, or type your name."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_name = new QComboBox(this);
    m_name->setEditable(true);
    m_name->setInsertPolicy(QComboBox::NoInsert);
    m_name->lineEdit()->setPlaceholderText(tr("Your name, e.g. Alice Moreau"));
    for (const model::Rater &r : m_raters)
        if (r.kind == model::RaterKind::Human)
            m_name->addItem(display(r), QString::fromStdString(r.id));
    m_name->setCurrentText(current.id.empty() ? QString() : display(current));
    layout->addWidget(m_name);
    m_explain = new QLabel(this);
    m_explain->setWordWrap(true);
    // Secondary text that still reads on a dark palette.
    m_explain->setStyleSheet(QStringLiteral("color: %1;").arg(shade::secondaryText(palette()).name()));
    layout->addWidget(m_explain);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QComboBox::currentTextChanged, this, &AnnotatorDialog::validate);
    resize(460, sizeHint().height());
    validate();
}

void AnnotatorDialog::validate()
{
    const QString text = m_name->currentText().trimmed();
    m_chosen = {};
    m_chosen.kind = model::RaterKind::Human;
    // The list shows "Alice Moreau (alice)": typing just the name, in any case, is the same rater.
    for (const model::Rater &r : m_raters)
        if (display(r) == text || QString::fromStdString(r.id) == text ||
            (r.name && QString::fromStdString(*r.name).compare(text, Qt::CaseInsensitive) == 0)) {
            m_chosen = r;
            break;
        }
    if (m_chosen.id.empty()) {
        m_chosen.id = model::raterIdForName(text.toStdString());
        if (!text.isEmpty())
            m_chosen.name = text.toStdString();
        for (const model::Rater &r : m_raters)
            if (r.id == m_chosen.id)
                m_chosen = r;
    }
    QString explain;
    bool ok = !m_chosen.id.empty();
    if (!ok)
        explain = tr("Type a name with at least one letter or digit.");
    else if (m_chosen.kind != model::RaterKind::Human) {
        explain = tr("“%1” is a %2 rater in this project; choose another name.")
                      .arg(QString::fromStdString(m_chosen.id),
                           QString::fromLatin1(model::toString(m_chosen.kind)));
        ok = false;
    } else if (m_chosen.name && !m_chosen.id.empty() &&
               std::none_of(m_raters.begin(), m_raters.end(),
                            [&](const model::Rater &r) { return r.id == m_chosen.id; }))
        explain =
            tr("New rater “%1”: created with your first label.").arg(QString::fromStdString(m_chosen.id));
    else
        explain = tr("You continue as rater “%1”.").arg(QString::fromStdString(m_chosen.id));
    m_explain->setText(explain);
    m_ok->setEnabled(ok);
}

} // namespace concord::ui
