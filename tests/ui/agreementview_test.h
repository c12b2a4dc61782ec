#pragma once
// Declared apart from the test's fixtures (moc cannot parse raw-string JSON in the same file).

#include <QObject>
#include <QTemporaryDir>

class AgreementViewTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void tableShowsEveryComparisonOfTheFacet();
    void comparisonModelPassesTheModelTester();
    void clickingAConfusionCellListsItsUnits();
    void majorityCellsListTheUnitsWhereHumansAgree();
    void aHumanCalledMajorityIsNotTheHumanMajority();
    void positionChartBreaksWhereKappaIsUndefined();
    void perAnswerFacetsListAnswers();
    void activatingAUnitAsksToOpenItsItem();
    void refreshPicksUpNewLabels();
    void questionTypeChartNamesEveryKappa();
    void nothingToCompareIsSaidInWords();

private:
    QTemporaryDir m_dir;
    QString m_project;
};
