#pragma once
// Declared apart from judgerunner_test.cpp because moc cannot parse its raw-string JSON fixtures.

#include <QObject>
#include <QTemporaryDir>

class JudgeRunnerTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const;

private slots:
    void judgeIsARaterWithItsConfigurationAndTemplates();
    void positionConsistencyIsStoredPerJudge();
    void faithfulnessKeepsClaimsQuotesAndEvidenceSpans();
    void cancelledRunLeavesNoHalfTaskAndTheNextRunFinishes();
    void aRunWhoseProgramWasKilledIsClosedByTheNext();
    void transientFailuresAreRetriedABoundedNumberOfTimes();
    void itemsAndLimitSelectWhatIsJudged();
    void tooLargeReplyFailsTheTaskWithoutARetry();
    void rateLimitPausesEveryRequestForTheServersRetryAfter();
    void longRetryAfterIsCappedAtFiveMinutes();
    void rateLimitOutlastingTheRetriesStopsTheRun();
    void tokensOfEveryAttemptAreCounted();
    void cutOffReplyIsNotSentAgainUnchanged();
};
