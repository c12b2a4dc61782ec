// The closed label vocabularies: the exact spellings JSONL v1 and the project file store, their
// round trip through toString/parse, and which values each facet allows.
#include "modeltest.h"
#include "vocabulary.h"

#include <QTest>

#include <algorithm>

using namespace concord::model;

namespace {

template <typename E> void addSpellings(std::initializer_list<std::pair<E, const char *>> table)
{
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("spelling");
    for (const auto &[value, spelling] : table)
        QTest::newRow(spelling) << static_cast<int>(value) << QString(spelling);
}

std::vector<std::string> strings(const std::vector<std::string_view> &views)
{
    return {views.begin(), views.end()};
}

} // namespace

class VocabularyTest : public QObject
{
    Q_OBJECT

private slots:
    void questionType_spellingRoundTrips_data()
    {
        addSpellings<QuestionType>({{QuestionType::FactRecall, "fact_recall"},
                                    {QuestionType::Definition, "definition"},
                                    {QuestionType::Summarization, "summarization"},
                                    {QuestionType::Interpretation, "interpretation"},
                                    {QuestionType::Inference, "inference"},
                                    {QuestionType::NoInfo, "no_info"}});
    }
    void questionType_spellingRoundTrips()
    {
        QFETCH(int, value);
        QFETCH(QString, spelling);
        const auto t = static_cast<QuestionType>(value);
        QCOMPARE(std::string(toString(t)), spelling.toStdString());
        QCOMPARE(parseQuestionType(spelling.toStdString()), std::optional(t));
    }

    void slot_spellingRoundTrips_data() { addSpellings<Slot>({{Slot::A, "A"}, {Slot::B, "B"}}); }
    void slot_spellingRoundTrips()
    {
        QFETCH(int, value);
        QFETCH(QString, spelling);
        const auto s = static_cast<Slot>(value);
        QCOMPARE(std::string(toString(s)), spelling.toStdString());
        QCOMPARE(parseSlot(spelling.toStdString()), std::optional(s));
    }

    void raterKind_spellingRoundTrips_data()
    {
        addSpellings<RaterKind>(
            {{RaterKind::Human, "human"}, {RaterKind::Judge, "judge"}, {RaterKind::Gold, "gold"}});
    }
    void raterKind_spellingRoundTrips()
    {
        QFETCH(int, value);
        QFETCH(QString, spelling);
        const auto k = static_cast<RaterKind>(value);
        QCOMPARE(std::string(toString(k)), spelling.toStdString());
        QCOMPARE(parseRaterKind(spelling.toStdString()), std::optional(k));
    }

    void choice_spellingRoundTrips_data()
    {
        addSpellings<Choice>({{Choice::A, "A"}, {Choice::B, "B"}, {Choice::Tie, "tie"}});
    }
    void choice_spellingRoundTrips()
    {
        QFETCH(int, value);
        QFETCH(QString, spelling);
        const auto c = static_cast<Choice>(value);
        QCOMPARE(std::string(toString(c)), spelling.toStdString());
        QCOMPARE(parseChoice(spelling.toStdString()), std::optional(c));
    }

    void outcome_spellingRoundTrips_data()
    {
        addSpellings<Outcome>({{Outcome::Answered, "answered"},
                               {Outcome::Hallucinated, "hallucinated"},
                               {Outcome::DeclinedCorrectly, "declined_correctly"},
                               {Outcome::DeclinedWrongly, "declined_wrongly"}});
    }
    void outcome_spellingRoundTrips()
    {
        QFETCH(int, value);
        QFETCH(QString, spelling);
        const auto o = static_cast<Outcome>(value);
        QCOMPARE(std::string(toString(o)), spelling.toStdString());
        QCOMPARE(parseOutcome(spelling.toStdString()), std::optional(o));
    }

    void facet_spellingRoundTrips_data()
    {
        addSpellings<Facet>({{Facet::Preference, "preference"},
                             {Facet::Relevance, "criteria.relevance"},
                             {Facet::Comprehensiveness, "criteria.comprehensiveness"},
                             {Facet::Conciseness, "criteria.conciseness"},
                             {Facet::Faithful, "faithful"},
                             {Facet::NoInfo, "no_info"}});
    }
    void facet_spellingRoundTrips()
    {
        QFETCH(int, value);
        QFETCH(QString, spelling);
        const auto f = static_cast<Facet>(value);
        QCOMPARE(std::string(toString(f)), spelling.toStdString());
        QCOMPARE(parseFacet(spelling.toStdString()), std::optional(f));
    }

    void constantArrays_listEveryValueOnce()
    {
        QCOMPARE(kQuestionTypes.size(), std::size_t(6));
        QCOMPARE(kSlots.size(), std::size_t(2));
        QCOMPARE(kFacets.size(), std::size_t(6));
        for (QuestionType t : kQuestionTypes)
            QCOMPARE(std::count(kQuestionTypes.begin(), kQuestionTypes.end(), t), std::ptrdiff_t(1));
        for (Facet f : kFacets)
            QCOMPARE(std::count(kFacets.begin(), kFacets.end(), f), std::ptrdiff_t(1));
        for (Facet f : kCriteria)
            QVERIFY(isCriterion(f));
    }

    void everyEnumValue_roundTripsThroughItsSpelling()
    {
        for (QuestionType t : kQuestionTypes)
            QCOMPARE(parseQuestionType(toString(t)), std::optional(t));
        for (Slot s : kSlots)
            QCOMPARE(parseSlot(toString(s)), std::optional(s));
        for (RaterKind k : {RaterKind::Human, RaterKind::Judge, RaterKind::Gold})
            QCOMPARE(parseRaterKind(toString(k)), std::optional(k));
        for (Choice c : {Choice::A, Choice::B, Choice::Tie})
            QCOMPARE(parseChoice(toString(c)), std::optional(c));
        for (Outcome o :
             {Outcome::Answered, Outcome::Hallucinated, Outcome::DeclinedCorrectly, Outcome::DeclinedWrongly})
            QCOMPARE(parseOutcome(toString(o)), std::optional(o));
        for (Facet f : kFacets)
            QCOMPARE(parseFacet(toString(f)), std::optional(f));
    }

    void parse_rejectsUnknownSpellings_data()
    {
        QTest::addColumn<QString>("vocabulary");
        QTest::addColumn<QString>("spelling");
        QTest::newRow("question type: empty") << "question_type"
                                              << "";
        QTest::newRow("question type: capitalised") << "question_type"
                                                    << "Fact_Recall";
        QTest::newRow("question type: space") << "question_type"
                                              << "fact recall";
        QTest::newRow("question type: hyphen") << "question_type"
                                               << "no-info";
        QTest::newRow("question type: trailing space") << "question_type"
                                                       << "inference ";
        QTest::newRow("slot: lower case") << "slot"
                                          << "a";
        QTest::newRow("slot: C") << "slot"
                                 << "C";
        QTest::newRow("slot: AB") << "slot"
                                  << "AB";
        QTest::newRow("rater kind: capitalised") << "rater_kind"
                                                 << "Human";
        QTest::newRow("rater kind: llm") << "rater_kind"
                                         << "llm";
        QTest::newRow("choice: lower-case a") << "choice"
                                              << "a";
        QTest::newRow("choice: Tie") << "choice"
                                     << "Tie";
        QTest::newRow("choice: both") << "choice"
                                      << "both";
        QTest::newRow("outcome: declined") << "outcome"
                                           << "declined";
        QTest::newRow("outcome: Answered") << "outcome"
                                           << "Answered";
        QTest::newRow("facet: bare criterion") << "facet"
                                               << "relevance";
        QTest::newRow("facet: criteria prefix only") << "facet"
                                                     << "criteria.";
        QTest::newRow("facet: unknown criterion") << "facet"
                                                  << "criteria.clarity";
        QTest::newRow("facet: empty") << "facet"
                                      << "";
    }
    void parse_rejectsUnknownSpellings()
    {
        QFETCH(QString, vocabulary);
        QFETCH(QString, spelling);
        const std::string s = spelling.toStdString();
        if (vocabulary == "question_type")
            QCOMPARE(parseQuestionType(s), std::optional<QuestionType>());
        else if (vocabulary == "slot")
            QCOMPARE(parseSlot(s), std::optional<Slot>());
        else if (vocabulary == "rater_kind")
            QCOMPARE(parseRaterKind(s), std::optional<RaterKind>());
        else if (vocabulary == "choice")
            QCOMPARE(parseChoice(s), std::optional<Choice>());
        else if (vocabulary == "outcome")
            QCOMPARE(parseOutcome(s), std::optional<Outcome>());
        else if (vocabulary == "facet")
            QCOMPARE(parseFacet(s), std::optional<Facet>());
        else
            QFAIL("unknown vocabulary in test data");
    }

    void criterionKey_isTheKeyInsideCriteria_data()
    {
        QTest::addColumn<int>("facet");
        QTest::addColumn<QString>("key");
        QTest::newRow("preference") << int(Facet::Preference) << "";
        QTest::newRow("relevance") << int(Facet::Relevance) << "relevance";
        QTest::newRow("comprehensiveness") << int(Facet::Comprehensiveness) << "comprehensiveness";
        QTest::newRow("conciseness") << int(Facet::Conciseness) << "conciseness";
        QTest::newRow("faithful") << int(Facet::Faithful) << "";
        QTest::newRow("no_info") << int(Facet::NoInfo) << "";
    }
    void criterionKey_isTheKeyInsideCriteria()
    {
        QFETCH(int, facet);
        QFETCH(QString, key);
        QCOMPARE(std::string(criterionKey(static_cast<Facet>(facet))), key.toStdString());
    }

    void facetKind_perAnswerAndCriterionAreDisjoint_data()
    {
        QTest::addColumn<int>("facet");
        QTest::addColumn<bool>("perAnswer");
        QTest::addColumn<bool>("criterion");
        QTest::newRow("preference") << int(Facet::Preference) << false << false;
        QTest::newRow("relevance") << int(Facet::Relevance) << false << true;
        QTest::newRow("comprehensiveness") << int(Facet::Comprehensiveness) << false << true;
        QTest::newRow("conciseness") << int(Facet::Conciseness) << false << true;
        QTest::newRow("faithful") << int(Facet::Faithful) << true << false;
        QTest::newRow("no_info") << int(Facet::NoInfo) << true << false;
    }
    void facetKind_perAnswerAndCriterionAreDisjoint()
    {
        QFETCH(int, facet);
        QFETCH(bool, perAnswer);
        QFETCH(bool, criterion);
        QCOMPARE(isPerAnswer(static_cast<Facet>(facet)), perAnswer);
        QCOMPARE(isCriterion(static_cast<Facet>(facet)), criterion);
    }

    void valuesOf_listsAllowedValuesInDisplayOrder_data()
    {
        QTest::addColumn<int>("facet");
        QTest::addColumn<QStringList>("values");
        const QStringList choices{"A", "B", "tie"};
        QTest::newRow("preference") << int(Facet::Preference) << choices;
        QTest::newRow("relevance") << int(Facet::Relevance) << choices;
        QTest::newRow("comprehensiveness") << int(Facet::Comprehensiveness) << choices;
        QTest::newRow("conciseness") << int(Facet::Conciseness) << choices;
        QTest::newRow("faithful") << int(Facet::Faithful) << QStringList{"faithful", "unfaithful"};
        QTest::newRow("no_info") << int(Facet::NoInfo)
                                 << QStringList{"answered", "hallucinated", "declined_correctly",
                                                "declined_wrongly"};
    }
    void valuesOf_listsAllowedValuesInDisplayOrder()
    {
        QFETCH(int, facet);
        QFETCH(QStringList, values);
        QStringList actual;
        for (std::string_view v : valuesOf(static_cast<Facet>(facet)))
            actual << QString::fromUtf8(v.data(), qsizetype(v.size()));
        QCOMPARE(actual, values);
    }

    void valuesOf_agreesWithParsers()
    {
        for (Facet f : kFacets) {
            for (std::string_view v : valuesOf(f)) {
                QVERIFY(isValidValue(f, v));
                if (f == Facet::NoInfo)
                    QVERIFY(parseOutcome(v).has_value());
                else if (f != Facet::Faithful)
                    QVERIFY(parseChoice(v).has_value());
            }
        }
        QCOMPARE(strings(valuesOf(Facet::Faithful)), (std::vector<std::string>{"faithful", "unfaithful"}));
        QCOMPARE(std::string(kFaithful), std::string("faithful"));
        QCOMPARE(std::string(kUnfaithful), std::string("unfaithful"));
    }

    void isValidValue_acceptsOnlyTheFacetsOwnValues_data()
    {
        QTest::addColumn<int>("facet");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("valid");
        QTest::newRow("preference A") << int(Facet::Preference) << "A" << true;
        QTest::newRow("preference tie") << int(Facet::Preference) << "tie" << true;
        QTest::newRow("preference lower-case a") << int(Facet::Preference) << "a" << false;
        QTest::newRow("preference faithful") << int(Facet::Preference) << "faithful" << false;
        QTest::newRow("conciseness B") << int(Facet::Conciseness) << "B" << true;
        QTest::newRow("relevance empty") << int(Facet::Relevance) << "" << false;
        QTest::newRow("faithful faithful") << int(Facet::Faithful) << "faithful" << true;
        QTest::newRow("faithful unfaithful") << int(Facet::Faithful) << "unfaithful" << true;
        QTest::newRow("faithful true") << int(Facet::Faithful) << "true" << false;
        QTest::newRow("faithful A") << int(Facet::Faithful) << "A" << false;
        QTest::newRow("no_info hallucinated") << int(Facet::NoInfo) << "hallucinated" << true;
        QTest::newRow("no_info declined_correctly") << int(Facet::NoInfo) << "declined_correctly" << true;
        QTest::newRow("no_info tie") << int(Facet::NoInfo) << "tie" << false;
        QTest::newRow("no_info no_info") << int(Facet::NoInfo) << "no_info" << false;
    }
    void isValidValue_acceptsOnlyTheFacetsOwnValues()
    {
        QFETCH(int, facet);
        QFETCH(QString, value);
        QFETCH(bool, valid);
        QCOMPARE(isValidValue(static_cast<Facet>(facet), value.toStdString()), valid);
    }

    void allowedLists_nameEverySpellingInOrder()
    {
        QCOMPARE(allowedQuestionTypes(),
                 std::string("fact_recall, definition, summarization, interpretation, inference, no_info"));
        QCOMPARE(allowedOutcomes(),
                 std::string("answered, hallucinated, declined_correctly, declined_wrongly"));
    }
};

QTEST_APPLESS_MAIN(VocabularyTest)
#include "vocabulary_test.moc"
