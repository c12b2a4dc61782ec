#pragma once
// Declared apart from curltransport_test.cpp because moc cannot parse its raw-string JSON fixtures.

#include <QObject>
#include <QTemporaryDir>

class CurlTransportTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void manyRequestsRunAtOnceOnOneWorkerThread();
    void responseHeadersAndStatusArrive();
    void timeoutIsReportedAsSuch();
    void refusedConnectionIsReportedAsSuch();
    void selfSignedCertificateIsRejected();
    void abandonedRequestsNeverComeBack();
    void tooLargeReplyIsReportedAsSuch();
};
