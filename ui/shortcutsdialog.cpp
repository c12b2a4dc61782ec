#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace concord::ui {

QString ShortcutsDialog::sheet(const QList<QAction *> &actions)
{
    QStringList groups;
    for (QAction *a : actions) {
        const QString group = a->property("group").toString();
        if (!a->shortcuts().isEmpty() && !group.isEmpty() && !groups.contains(group))
            groups.append(group);
    }
    QString html = QStringLiteral(
        "<style>td { padding: 3px 10px 3px 0; } .k { font-family: 'DejaVu Sans Mono', monospace; "
        "background: #efefe9; color: #222; } h3 { margin: 12px 0 4px 0; color: #3b3b37; }</style><table>");
    for (const QString &group : groups) {
        html += QStringLiteral("<tr><td colspan='2'><h3>%1</h3></td></tr>").arg(group.toHtmlEscaped());
        for (QAction *a : actions) {
            if (a->property("group").toString() != group || a->shortcuts().isEmpty())
                continue;
            QStringList keys;
            for (const QKeySequence &k : a->shortcuts()) {
                QString key = k.toString(QKeySequence::NativeText);
                key.replace(QStringLiteral("Backtab"), QStringLiteral("Shift+Tab")); // what the user presses
                keys.append(QStringLiteral("<span class='k'>&nbsp;%1&nbsp;</span>").arg(key.toHtmlEscaped()));
            }
            QString text = a->text();
            text.remove(u'&');
            text.remove(QStringLiteral("…"));
            html += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
                        .arg(keys.join(QStringLiteral(" or ")), text.toHtmlEscaped());
        }
    }
    // The Review view reads its keys itself (they depend on the facet under review).
    const QString key = QStringLiteral("<span class='k'>&nbsp;%1&nbsp;</span>");
    auto row = [&](const QString &keys, const QString &what) {
        html += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(keys, what.toHtmlEscaped());
    };
    html += QStringLiteral("<tr><td colspan='2'><h3>%1</h3></td></tr>").arg(tr("Review (adjudicating gold)"));
    row(key.arg(QStringLiteral("1")) + QStringLiteral(" ") + key.arg(QStringLiteral("2")) +
            QStringLiteral(" ") + key.arg(QStringLiteral("3")) + tr(" or ") + key.arg(QStringLiteral("←")) +
            QStringLiteral(" ") + key.arg(QStringLiteral("↓")) + QStringLiteral(" ") +
            key.arg(QStringLiteral("→")),
        tr("Gold preference or criterion: A, tie, B"));
    row(key.arg(QStringLiteral("G")) + QStringLiteral(" ") + key.arg(QStringLiteral("D")),
        tr("Gold no-info outcome: gives an answer, declines (again: the other value)"));
    row(key.arg(QStringLiteral("F")) + QStringLiteral(" ") + key.arg(QStringLiteral("U")),
        tr("Gold faithfulness: faithful, unfaithful"));
    row(key.arg(QStringLiteral("1")) + QStringLiteral("–") + key.arg(QStringLiteral("4")),
        tr("Gold no-info outcome: answered, hallucinated, declined correctly, declined wrongly"));
    row(key.arg(QStringLiteral("Ctrl+M")), tr("Note for the next gold decision"));
    row(key.arg(QStringLiteral("J")) + QStringLiteral(" ") + key.arg(QStringLiteral("K")),
        tr("Next / previous disagreement"));
    return html + QStringLiteral("</table>");
}

ShortcutsDialog::ShortcutsDialog(const QList<QAction *> &actions, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QTextBrowser(this);
    text->setHtml(sheet(actions));
    text->setOpenLinks(false);
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, 680);
}

} // namespace concord::ui
