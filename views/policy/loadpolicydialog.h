#pragma once

#include <QString>

#include <optional>

class QWidget;

namespace rw {

// Policy ▸ Load Policy Bundle: asks for the policy bundle, then whether to
// add a capability bundle (without one the capability gate is not evaluated).
class LoadPolicyDialog
{
public:
    struct Choice
    {
        QString policy;
        QString capabilities; // empty: none
    };
    // nullopt when the examiner cancelled
    static std::optional<Choice> ask(QWidget* parent);
};

} // namespace rw
