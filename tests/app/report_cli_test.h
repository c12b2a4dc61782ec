#pragma once

#include <QObject>
#include <QTemporaryDir>

class ReportCliTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void reportHoldsTheNumbersOfAgreementJson();
    void reportIsSelfContainedAndPrintsToPdf();
    void reportRefusesMissingOutput();
    void reportIsWrittenWholeOrNotAtAll();

private:
    QTemporaryDir m_dir;
    QString m_project;
};
