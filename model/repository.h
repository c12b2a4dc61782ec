#pragma once
/// @file repository.h
/// What the workspace reads from a project, as an interface: storage/ implements it over the
/// project file, tests implement it in memory, and ui/ depends only on this header.

#include "domain.h"
#include "result.h"

#include <string>
#include <vector>

namespace concord::model {

/// One row of the item queue: enough to list and filter without loading texts.
struct ItemSummary
{
    std::string id;
    std::string documentId;
    QuestionType type = QuestionType::FactRecall;
    std::string systemA;
    std::string systemB;
};

class ProjectRepository
{
public:
    virtual ~ProjectRepository() = default;
    /// The items in the order they were added.
    virtual Result<std::vector<ItemSummary>> itemSummaries() = 0;
    virtual Result<Item> item(const std::string &id) = 0;
    virtual Result<Document> document(const std::string &id) = 0;
};

} // namespace concord::model
