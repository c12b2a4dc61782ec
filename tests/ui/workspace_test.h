#pragma once
// Declared apart from workspace_test.cpp, which includes the JSON fixtures' header only.

#include <QObject>
#include <QTemporaryDir>

class WorkspaceTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

private slots:
    void initTestCase();
    void reviewHoldsBackWhatTheAnnotatorHasNotFinished();
    void init();
    void labelsSeveralItemsByKeyboardOnly();
    void undoAndRedoAreSavedAsRevisions();
    void undoOnAnotherItemShowsThatItem();
    void criteriaByKeyboard();
    void switchingAnnotatorsKeepsLabelsApart();
    void evidenceIsMarkedInCodePoints();
    void noteIsSavedOnEnter();
    void noteBeingTypedStaysWithItsItem();
    void evidenceListGivesTheKeysBack();
    void criteriaKeyShowsTheCriteriaAsTheMenuDoes();
    void activeAnswersButtonsAreScrolledIntoView();
    void exportAndReimportAddsNothing();
    void unblindedProjectShowsSystemsInOrderAB();
    void queueShowsOtherRatersAndFilters();
    void findHighlightsAndCountsMatches();
    void zoomChangesTheReadingFont();
    void narrowWindowStacksTheAnswers();
    void windowFitsALaptopScreen();
    void verdictStaysInViewInSmallWindows_data();
    void verdictStaysInViewInSmallWindows();
    void hintUnderTheAnswersIsWhole();
    void panelsHaveNoEmptyBand();
    void suggestedOutcomeIsClearlyMarked();
    void rulerDrawsTheMarkerWholeAtTheTop();
    void arrowKeysMoveInTheFocusedListOrFilter();
    void blindAnnotatorSeesDisagreementOnlyAfterLabelling();
    void droppedFileIsImported();
    void importOfTheAnnotatorsLabelsIsShown();
    void outsideImportIsShownWhenTheAppIsActiveAgain();
    void largeImportShowsItsProgress();
    void importErrorsAreListedLikeTheCli();
    void exportWritesWhatIsOnScreen();
    void reportIsExportedAsHtmlAndPdf();
    void lockedProjectIsRetriedUntilSaved();
    void firstLaunchWithoutAnnotatorDoesNotWrite();
    void readOnlyProjectIsOpenedAsACopy();
    void firstLaunchAsksWhoIsLabelling();
    void cheatSheetListsEveryShortcut();
};
