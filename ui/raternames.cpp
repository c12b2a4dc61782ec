#include "raternames.h"

#include "facettext.h"

#include "vocabulary.h"

namespace concord::ui {

namespace {

} // namespace

RaterNames::RaterNames(const std::vector<model::RaterRef> &raters) { build(raters); }

RaterNames::RaterNames(const std::vector<model::Rater> &raters)
{
    std::vector<model::RaterRef> refs;
    refs.reserve(raters.size());
    for (const model::Rater &r : raters)
        refs.push_back({r.id, r.kind, r.name.value_or(std::string())});
    build(refs);
}

void RaterNames::build(const std::vector<model::RaterRef> &raters)
{
    // A name two raters share (two versions of one judge, two people called Sam) would make them
    // look like one: those are shown by id. So is a name that is another rater's id.
    QHash<QString, int> names;
    QHash<QString, bool> ids;
    for (const model::RaterRef &r : raters) {
        ids.insert(utf8Text(r.id), true);
        if (const QString name = utf8Text(r.name).simplified(); !name.isEmpty())
            ++names[name];
    }
    for (const model::RaterRef &r : raters) {
        const QString id = utf8Text(r.id);
        const QString name = utf8Text(r.name).simplified();
        const bool own = !name.isEmpty() && names.value(name) == 1 && (name == id || !ids.contains(name));
        m_raters.insert(id, {own ? name : id, utf8Text(model::toString(r.kind))});
    }
}

QString RaterNames::name(std::string_view id) const
{
    const QString key = utf8Text(id);
    const auto it = m_raters.constFind(key);
    return it == m_raters.constEnd() ? key : it->name;
}

QString RaterNames::describe(std::string_view id) const
{
    const QString key = utf8Text(id);
    const auto it = m_raters.constFind(key);
    if (it == m_raters.constEnd())
        return tr("rater %1").arg(key);
    const QString who = tr("rater %1 (%2)").arg(key, it->kind);
    return it->name == key ? who : tr("%1 — %2").arg(it->name, who);
}

} // namespace concord::ui
