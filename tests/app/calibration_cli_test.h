#pragma once

#include <QObject>
#include <QTemporaryDir>

class CalibrationCliTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void goldExportHoldsOnlyAdjudicatedItems();
    void goldExportRoundTrips();
    void goldExportKeepsEachDecisionsReason();
    void compareGivesHandCheckedNumbers();
    void compareRefusesBadArguments();

private:
    QTemporaryDir m_dir;
    QString m_project;
};
