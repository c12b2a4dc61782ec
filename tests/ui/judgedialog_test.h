#pragma once
// Declared apart from judgedialog_test.cpp, whose JSON raw strings moc does not read well.

#include <QObject>
#include <QTemporaryDir>

class JudgeDialogTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

private slots:
    void initTestCase();
    void init();
    void profileFillsServerAndKey();
    void goldSetGrowsWhileTheDialogIsOpen();
    void startNeedsAServerUrlAndIsNeverImplied();
    void undoingATemplateEditGivesTheSameVersionBack();
    void estimateShowsCallsTokensAndCost();
    void runShowsProgressAndFailures();
    void runsTabListsTheRunJustEnded();
    void cancelKeepsWhatWasJudgedAndTheNextRunContinues();
    void editedTemplateOnTheGoldSetIsANewJudge();
    void failureLogFillsWhileTheRunGoes();
    void keyFromTheVariableComesBeforeTheKeychain();
    void keychainWithoutAServiceSaysSoAndStoresNothing();
    void calibrationComparesTheEditedJudgeWithThePreviousAgainstGold();
};
