#include "replay/analysis/analyzer.h"

#include "replay/analysis/compiledrules.h"
#include "replay/analysis/configloader.h"

namespace rw::analysis {

AnalysisRules::~AnalysisRules() = default;

const StepClassifier& AnalysisRules::classifier() const
{
    return m_compiled->classifier;
}

std::shared_ptr<const AnalysisRules> AnalysisRules::compile(AnalysisConfig config,
                                                            std::vector<BundleDiagnostic>& diagnostics)
{
    // the compiled rules point into the configuration: it moves in first, and never again
    std::shared_ptr<AnalysisRules> rules(new AnalysisRules());
    rules->m_config = std::move(config);
    const std::size_t before = diagnostics.size();
    rules->m_compiled = std::make_unique<CompiledRules>(rules->m_config, diagnostics);
    for (std::size_t i = before; i < diagnostics.size(); ++i)
        if (diagnostics[i].level == BundleDiagnostic::Level::Error)
            return nullptr;
    return rules;
}

std::shared_ptr<const AnalysisRules> defaultAnalysisRules()
{
    // compiled once and shared (immutable): the same rules are the same object,
    // so that a view can tell whether the rules changed
    static const std::shared_ptr<const AnalysisRules> kRules = [] {
        AnalysisConfig config;
        config.profile = defaultAnalysisProfile();
        config.exfil = defaultExfilRules();
        std::vector<BundleDiagnostic> diagnostics;
        return AnalysisRules::compile(std::move(config), diagnostics);
    }();
    return kRules;
}

} // namespace rw::analysis
