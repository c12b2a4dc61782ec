#pragma once
// Declared apart from judgejob_test.cpp because moc cannot parse its raw-string JSON fixtures.

#include <QObject>

class JudgeJobTest : public QObject
{
    Q_OBJECT

private slots:
    void builtinTemplates_parseForEveryStep();
    void parsePromptTemplate_namesWhatIsWrong_data();
    void parsePromptTemplate_namesWhatIsWrong();
    void renderPrompt_leavesPlaceholdersInsideValuesAlone();
    void templateFileNames_roundTrip();
    void raterId_isStableAndChangesWithTheConfiguration();
    void configJson_isCanonicalAndHoldsNoKey();
    void normaliseBaseUrl_acceptsTheSpellingsUsersCopy();
    void preference_runsBothOrdersWithAnswersSwapped();
    void preference_consistentVerdictIsKept();
    void preference_inconsistentVerdictIsATieOrTheFirstOrder();
    void preference_badReplyLeavesTheJobUnchanged();
    void faithful_extractsThenVerifiesAndLocatesQuotes();
    void faithful_strictPolicyNeedsALocatedQuote();
    void faithful_answerWithoutClaimsIsFaithfulWithoutVerifying();
    void noInfo_outcomeIsDerived_data();
    void noInfo_outcomeIsDerived();
    void noInfo_labelCarriesBothAnswers();
    void locateQuote_data();
    void locateQuote();
};
