#pragma once

#include <QObject>
#include <QTemporaryDir>

class ReviewViewTest : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void queueListsEveryDisagreement();
    void modelsPassTheModelTester();
    void filtersByKindFacetAndRaterPair();
    void keyboardAdjudicationStoresGoldWithNote();
    void everyAdjudicationIsKeptInHistory();
    void raterPairWithOneSideAnyone();
    void kindFilterListsEveryReadingAndKeepsItOnReload();
    void labelsTableShowsEveryFacetOfEveryRater();
    void judgeRationaleShowsClaimsAndQuotesScrollTheDocument();
    void importedJudgeSaysNoRationaleIsStored();
    void keysAreTheWorkspaceKeys();
    void decisionsNeitherSlipNorSkip();
    void goldReasonIsThatOfTheDecisionShown();
    void blindHidesSystemNames();
    void anEmptyQueueSaysWhy();

private:
    QTemporaryDir m_dir;
    QString m_project;
};
