package dev.flywheel.learner.feed;

import dev.flywheel.learner.experience.Experience;
import dev.flywheel.learner.experience.PreferenceExample;
import dev.flywheel.learner.ledger.RecordPosition;
import java.util.Comparator;
import java.util.List;

/**
 * Online DPO's second source: each complete group of scored samples becomes one pair, its best-rewarded sample
 * against its worst. A group whose samples all have the same reward says nothing and is dropped.
 */
public final class RankedPairFeed implements ExampleFeed<PreferenceExample> {

    private final RolloutFeed rollouts;

    /** Pairs from the groups {@code rollouts} completes. */
    public RankedPairFeed(RolloutFeed rollouts) {
        this.rollouts = rollouts;
    }

    @Override
    public void accept(RecordPosition position, byte[] value, ExampleSink<PreferenceExample> sink) {
        // The rollout feed hands over complete groups one sample at a time, in group order; collect them here.
        rollouts.accept(position, value, new ExampleSink<>() {
            private final java.util.ArrayList<Experience> group = new java.util.ArrayList<>();

            @Override
            public void ready(Experience e, List<RecordPosition> positions) {
                group.add(e);
                if (group.size() == e.groupSize() || e.groupSize() <= 1) {
                    pair(List.copyOf(group), sink);
                    group.clear();
                }
            }

            @Override
            public void dropped(List<RecordPosition> positions, String outcome) {
                sink.dropped(positions, outcome);
            }
        });
    }

    private static void pair(List<Experience> group, ExampleSink<PreferenceExample> sink) {
        List<RecordPosition> positions = group.stream().map(Experience::source).toList();
        Experience best = group.stream().max(Comparator.comparingDouble(Experience::reward)).orElseThrow();
        Experience worst = group.stream().min(Comparator.comparingDouble(Experience::reward)).orElseThrow();
        if (group.size() < 2 || best.reward() <= worst.reward()) {
            sink.dropped(positions, "tied_group");
            return;
        }
        sink.ready(new PreferenceExample(best.source(), best.rolloutId() + ">" + worst.rolloutId(), best.prompt(),
                best.response(), worst.response(), false), positions);
    }
}
