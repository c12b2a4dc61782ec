#include "facettext.h"

#include <QCoreApplication>

namespace concord::ui {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("concord::ui::FacetText", text); }
} // namespace

QString facetName(model::Facet facet)
{
    switch (facet) {
    case model::Facet::Preference:
        return tr("Overall preference");
    case model::Facet::Relevance:
        return tr("Relevance");
    case model::Facet::Comprehensiveness:
        return tr("Comprehensiveness");
    case model::Facet::Conciseness:
        return tr("Conciseness");
    case model::Facet::Faithful:
        return tr("Faithfulness");
    case model::Facet::NoInfo:
        return tr("No-info outcome");
    }
    return {};
}

QString facetUnitName(model::Facet facet, std::optional<model::Slot> slot)
{
    if (!slot)
        return facetName(facet);
    return tr("%1 of answer %2")
        .arg(facetName(facet), *slot == model::Slot::A ? QStringLiteral("A") : QStringLiteral("B"));
}

QString facetValueText(std::string_view value)
{
    return QString::fromUtf8(value.data(), qsizetype(value.size()))
        .replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString evidenceBucketText(std::string_view bucket)
{
    if (bucket == "[0,0.25)")
        return tr("0–25%");
    if (bucket == "[0.25,0.5)")
        return tr("25–50%");
    if (bucket == "[0.5,0.75)")
        return tr("50–75%");
    if (bucket == "[0.75,1]")
        return tr("75–100%");
    if (bucket == "none")
        return tr("no position given");
    return QString::fromUtf8(bucket.data(), qsizetype(bucket.size()));
}

QString questionTypeName(model::QuestionType type) { return facetValueText(model::toString(type)); }

QString questionTypeShortName(model::QuestionType type)
{
    switch (type) {
    case model::QuestionType::FactRecall:
        return tr("fact");
    case model::QuestionType::Definition:
        return tr("definition");
    case model::QuestionType::Summarization:
        return tr("summary");
    case model::QuestionType::Interpretation:
        return tr("interpret");
    case model::QuestionType::Inference:
        return tr("inference");
    case model::QuestionType::NoInfo:
        return tr("no info");
    }
    return questionTypeName(type);
}

} // namespace concord::ui
