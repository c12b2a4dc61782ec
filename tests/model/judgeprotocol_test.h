#pragma once
// Declared apart from judgeprotocol_test.cpp because moc cannot parse its raw-string JSON fixtures.

#include <QObject>

class JudgeProtocolTest : public QObject
{
    Q_OBJECT

private slots:
    void requestBody_matchesGolden_data();
    void requestBody_matchesGolden();
    void requestBody_sendsTheSchemaInTheFormsConfigured();
    void requestBody_anthropicForcesTheTool();
    void requestHeaders_carryTheKeyOnlyWhereTheApiWantsIt();
    void requestHash_dependsOnUrlAndBody();
    void readCompletion_data();
    void readCompletion();
    void readCompletion_reportsUsage();
    void parseReply_validatesAgainstTheSchema_data();
    void parseReply_validatesAgainstTheSchema();
    void parsePreferenceReply_readsShownPositions();
    void classifyHttp_data();
    void classifyHttp();
    void backoff_growsAndIsCappedWithJitter();
    void estimatePromptTokens_isConservative();
    void errorMessage_readsEachServersShape();
};
