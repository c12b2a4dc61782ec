#pragma once
// Declared apart from judge_cli_test.cpp because moc cannot parse its raw-string JSON fixtures.

#include <QObject>
#include <QTemporaryDir>

class JudgeCliTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const;
    /// A new project holding `jsonl` (one JSON record per line).
    QString project(const QString &name, const QByteArray &jsonl);

private slots:
    void everyItemEndsJudgedOrRecordedFailedWithAReason();
    void retriesHonourRetryAfter();
    void rerunSendsNoRequests();
    void killedRunResumesWithoutDuplicates();
    void failedTaskIsRedoneFromTheCache();
    void keyNeverReachesTheProjectFile();
    void keyCutByAnExcerptLeavesNoPrefix();
    void anthropicToolUseIsRead();
    void authAndQuotaErrorsStopTheRun();
    void rateLimitOutlastingTheRetriesStopsTheRun();
    void rejectionOfEveryRequestStopsTheRun();
    void badRequestAs500IsNotRetriedAndStopsTheRun();
    void keychainIsAskedOnlyWhenTheVariableIsUnset();
    void promptThatMayNotFitIsRefusedNotTruncated();
    void unreachableServerStopsTheRun();
    void badArgumentsAreRefused();
    void agreementAndReportShowPositionConsistency();
    void estimateSendsNothing();
};
