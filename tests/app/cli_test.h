#pragma once
// Declared apart from cli_test.cpp because moc cannot parse the raw-string JSON fixtures there.

#include <QObject>
#include <QTemporaryDir>

class CliTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const;
    QString write(const QString &name, const QByteArray &content);
    QString seededProject(const QString &name);

private slots:
    void versionAndHelp();
    void infoJsonHasTheDocumentedShape();
    void importTwiceChangesNothing();
    void ctrlCAfterTheCommitDoesNotStopTheImport();
    void exportImportExportIsIdentical();
    void badInputIsRejectedWithFileLineField_data();
    void badInputIsRejectedWithFileLineField();
    void hugeDocumentIsRejected();
    void directoryAndMissingFilesAreNamed();
    void pipesAndEndlessStreamsAreRefused();
    void exportToADirectoryIsRefusedAndLeavesNothing();
    void doubleDashEndsTheOptions();
    void outputNeverOverwritesTheProject();
    void outputThroughALinkOrIntoAFifoKeepsThem();
    void exportToAnUnwritablePlaceFailsInOneLine();
    void manyErrorsAreAllReportedUpTo50();
    void problemsBeyondTheCollectedAreCountedAsAtLeast();
    void problemsArePrintedInFileAndLineOrder();
    void deeplyNestedValuesAreRefusedWithoutACrash_data();
    void deeplyNestedValuesAreRefusedWithoutACrash();
    void deepMetaWithinTheLimitIsImported();
    void utf16FileIsRefusedInOneMessage();
    void projectErrorsAreOneClearLine();
    void lockedProjectIsReported();
    void readOnlyFolderIsReadNotWritten();
    void fullDiskIsNamedAndReadingStillWorks();
    void noDisplayIsExplainedInOneLine();
};
