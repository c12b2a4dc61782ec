#pragma once
/// @file raternames.h
/// How the views name raters: by display name ("Alice Moreau") where the project gives one that no
/// other rater shares, else by id ("judge:gpt-4o:3f9a1c"); the id and kind go in a tooltip. The id
/// stays what filters, selections and exports use.

#include "agreementreport.h"
#include "domain.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>

#include <string_view>
#include <vector>

namespace concord::ui {

class RaterNames
{
    Q_DECLARE_TR_FUNCTIONS(RaterNames)

public:
    RaterNames() = default;
    explicit RaterNames(const std::vector<model::RaterRef> &raters);
    explicit RaterNames(const std::vector<model::Rater> &raters);

    /// The rater's display name, or its id when it has none, shares it with another rater, or is
    /// not known.
    QString name(std::string_view id) const;
    /// "Alice Moreau — rater alice (human)"; just "rater alice (human)" when shown by id.
    QString describe(std::string_view id) const;

private:
    struct Entry
    {
        QString name; ///< what the views show
        QString kind;
    };
    void build(const std::vector<model::RaterRef> &raters);
    QHash<QString, Entry> m_raters; ///< by id
};

} // namespace concord::ui
