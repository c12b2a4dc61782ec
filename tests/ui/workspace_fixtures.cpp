#include "workspace_fixtures.h"

namespace fixtures {

QByteArray documentText()
{
    return "LEASE\r\nThe tenant \xF0\x9F\x98\x80 pays rent of \xC2\xA3"
           "1,200 per month, in advance.\r\n"
           "The term is five years from 1 May 2024.\r\nNo clause deals with subletting.\r\n";
}

QByteArray smallProject()
{
    return R"({"kind":"rater","id":"alice","rater_kind":"human","name":"Alice Moreau"}
{"kind":"document","id":"lease","title":"Lease of Unit 3","text":"LEASE\r\nThe tenant 😀 pays rent of £1,200 per month, in advance.\r\nThe term is five years from 1 May 2024.\r\nNo clause deals with subletting.\r\n"}
{"kind":"item","id":"q1","document":"lease","question":"What is the rent?","question_type":"fact_recall","evidence_position":0.2,"answers":{"A":{"system":"careful-v1","text":"£1,200 a month, in advance."},"B":{"system":"quick-v0","text":"£1,500 a month."}}}
{"kind":"item","id":"q2","document":"lease","question":"How long is the term?","question_type":"fact_recall","evidence_position":0.6,"answers":{"A":{"system":"careful-v1","text":"Five years from 1 May 2024."},"B":{"system":"quick-v0","text":"Ten years."}}}
{"kind":"item","id":"q3","document":"lease","question":"When is rent paid?","question_type":"fact_recall","answers":{"A":{"system":"quick-v0","text":"In arrears."},"B":{"system":"careful-v1","text":"Monthly in advance."}}}
{"kind":"item","id":"q4","document":"lease","question":"May the tenant sublet?","question_type":"no_info","answerable":false,"answers":{"A":{"system":"careful-v1","text":"The lease does not say."},"B":{"system":"quick-v0","text":"Yes, with consent."}}}
{"kind":"label","item":"q1","rater":"alice","preference":"A","faithful":{"A":true,"B":false},"no_info":{"A":"answered","B":"answered"},"created_at":"2026-11-20T09:00:00Z"}
)";
}

QByteArray disagreeingRater()
{
    return R"({"kind":"rater","id":"bob","rater_kind":"human","name":"Bob Okafor"}
{"kind":"label","item":"q1","rater":"bob","preference":"B","created_at":"2026-11-21T09:00:00Z"}
)";
}

QByteArray brokenImport()
{
    return R"({"kind":"item","id":"q5","document":"lease","question":"Who pays?","question_type":"fact_recall","answers":{"A":{"system":"s1","text":"a"},"B":{"system":"s2","text":"b"}}}
{"kind":"item","id":"q6","document":"lease","question":"Who pays?","question_type":"trivia","answers":{"A":{"system":"s1","text":"a"},"B":{"system":"s2","text":"b"}}}
{"kind":"label","item":"q1","rater":"bob","preference":"C"}
)";
}

QByteArray moreItems()
{
    return R"({"kind":"item","id":"q5","document":"lease","question":"Who pays the rent?","question_type":"fact_recall","answers":{"A":{"system":"careful-v1","text":"The tenant."},"B":{"system":"quick-v0","text":"The landlord."}}}
{"kind":"item","id":"q6","document":"lease","question":"Is there a break clause?","question_type":"no_info","answerable":false,"answers":{"A":{"system":"careful-v1","text":"The lease does not mention one."},"B":{"system":"quick-v0","text":"Yes, after three years."}}}
)";
}

} // namespace fixtures
