#pragma once

// What the timeline shows of one trace, as plain values made from the model
// once (TimelineView::setTrace): a mark per event in a lane (its decision
// stage, in pipeline order), sorted by time, and a band per execution plan.
// Kept apart from the painted view so that it can be made off the GUI thread
// and tested without one.
#include "model/replaymodel.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace rw {

struct TimelineMark
{
    std::int64_t t = 0;
    std::uint32_t event = 0;
    std::uint8_t lane = 0;
    bool untimed = false;
    Decision decision = Decision::None; // its style: the view's marker paint for it
    std::uint8_t anomaly = 0;           // 0 none, else 1 + the worst anomaly's severity
};

struct TimelineBand
{
    std::int64_t t0 = 0, t1 = 0;
    QString label;
};

struct TimelineContent
{
    std::vector<TimelineMark> marks; // sorted by time
    std::vector<TimelineBand> bands;
    std::vector<QString> lanes;      // names, in pipeline order
};

// The marks, bands and lanes of `events` (a trace's, in file order). An event
// without a usable time sits at its predecessor's time (the first timed one's
// when none came before).
TimelineContent buildTimelineContent(const ReplayModel& model, const std::vector<std::uint32_t>& events);

} // namespace rw
