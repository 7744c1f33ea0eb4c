#pragma once

// What the timeline shows of one trace, as plain values made from the model
// once (TimelineView::setTrace): a mark per event in a lane (its decision
// stage, in pipeline order), sorted by time, and a band per execution plan.
// A run trace's steps are duration bars instead, in a lane per action type,
// with the stalls between them and the steps an agent went back to.
// Kept apart from the painted view so that it can be made off the GUI thread
// and tested without one.
#include "model/replaymodel.h"
#include "model/stepfacts.h"

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
    // a run step: its bar from `start` (timestamp - duration_ms) to `t` (its
    // timestamp); `start == t` for an event or a step without a duration. A
    // duration reaching before the run's start (or absurdly long) is cut
    // there, `clipped` set: one forged step cannot squeeze every other bar.
    std::int64_t start = 0;
    bool clipped = false;
    std::int64_t step = -1;             // step_index
    std::uint8_t kind = 0;              // its action type: index into TimelineContent::kinds
    std::uint16_t alternatives = 0;     // options it weighed (a decision point when > 0)
};

// A pause between steps longer than the stall gap: nothing ran from t0 to t1.
struct TimelineStall
{
    std::int64_t t0 = 0, t1 = 0;
    QString label; // "stall 42.00 s", made here: painting makes no text
};

// A step whose parent_step_index is not the step before it: the agent went
// back to `from` (indices into TimelineContent::marks).
struct TimelineLink
{
    std::size_t from = 0, to = 0;
};

struct TimelineOptions
{
    // the action types of run steps (the analysis profile's), in its order;
    // none: every step is "other"
    const StepClassifier* classifier = nullptr;
    std::vector<QString> actionTypes;
    std::int64_t stallGapUs = 5'000'000; // reference 3.1: a gap over 5 s is a stall
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
    // run steps: the lanes are the action types that occur, in the profile's
    // order then "other"; `kinds` every type a step's colour is chosen by
    // (each lane's kind: laneKinds)
    bool runSteps = false;
    std::vector<QString> kinds;
    std::vector<std::uint8_t> laneKinds;
    std::vector<TimelineStall> stalls;
    std::vector<TimelineLink> links;
    std::int64_t longestStep = 0; // the longest bar (what a visible range search must look back over)
    std::int64_t first = 0, last = 0; // the time span drawn: the first bar's start to the last mark
};

// The marks, bands and lanes of `events` (a trace's, in file order). An event
// without a usable time sits at its predecessor's time (the first timed one's
// when none came before).
TimelineContent buildTimelineContent(const ReplayModel& model, const std::vector<std::uint32_t>& events,
                                     const TimelineOptions& options = {});

} // namespace rw
