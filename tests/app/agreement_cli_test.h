#pragma once
// Declared apart from agreement_cli_test.cpp because moc cannot parse the raw-string JSONL there.

#include <QObject>
#include <QTemporaryDir>

class AgreementCliTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

private slots:
    void initTestCase();
    void helpDescribesTheCommand();
    void jsonHasTheDocumentedShape();
    void onlyCurrentLabelsAreCompared();
    void facetOptionReportsOneFacet();
    void unknownFacetOrGroupingIsOneLineAndExit2();
    void byEvidenceBucketReportsEachBucket();
    void byQuestionTypeReportsEachType();
    void bootstrapZeroGivesNullBootstrapCi();
    void sameSeedGivesIdenticalOutput();
    void textTableShowsPairsAndHeadline();
};
