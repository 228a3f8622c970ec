package dev.flywheel.monitor.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusRulesTest {

    private static final StatusRules RULES = StatusRules.overWindowOf(4);

    /** Samples of one partition: pairs of (committed offset, end offset), owned by a live consumer unless told. */
    private static List<PartitionLag> samples(boolean owned, long... committedAndEnd) {
        List<PartitionLag> samples = new ArrayList<>();
        for (int i = 0; i < committedAndEnd.length; i += 2) {
            long committed = committedAndEnd[i];
            long end = committedAndEnd[i + 1];
            samples.add(new PartitionLag("fw.prompts", 0, committed, end, end - committed, 1.0,
                    owned ? "consumer-1" : PartitionLag.NONE, owned ? "/127.0.0.1" : PartitionLag.NONE));
        }
        return samples;
    }

    @Test
    void consumerThatCatchesUpOnceInTheWindowIsOk() {
        assertThat(RULES.judge(samples(true, 10, 20, 20, 20, 20, 35, 25, 50))).isEqualTo(LagStatus.OK);
    }

    @Test
    void consumerKeepingPaceWithALagThatShrinksIsOk() {
        assertThat(RULES.judge(samples(true, 10, 30, 20, 38, 30, 45, 40, 52))).isEqualTo(LagStatus.OK);
    }

    @Test
    void lagThatOnlyGrowsWhileOffsetsMoveIsWarning() {
        assertThat(RULES.judge(samples(true, 10, 20, 15, 30, 20, 40, 25, 50))).isEqualTo(LagStatus.WARNING);
    }

    @Test
    void lagThatGrowsButDipsOnceIsNotWarning() {
        assertThat(RULES.judge(samples(true, 10, 20, 15, 30, 28, 35, 30, 50))).isEqualTo(LagStatus.OK);
    }

    @Test
    void ownedPartitionWhoseOffsetStandsStillWithLagIsStalled() {
        assertThat(RULES.judge(samples(true, 10, 20, 10, 20, 10, 25, 10, 30))).isEqualTo(LagStatus.STALL);
    }

    @Test
    void stallNeedsAFullWindow() {
        assertThat(RULES.judge(samples(true, 10, 20, 10, 20, 10, 25))).isEqualTo(LagStatus.OK);
    }

    @Test
    void unownedPartitionWithLagIsStoppedAtOnce() {
        assertThat(RULES.judge(samples(false, 10, 20))).isEqualTo(LagStatus.STOP);
        assertThat(RULES.judge(samples(false, 10, 20, 10, 20, 10, 24, 10, 30))).isEqualTo(LagStatus.STOP);
    }

    @Test
    void unownedPartitionThatIsCaughtUpIsOk() {
        assertThat(RULES.judge(samples(false, 20, 20, 20, 20))).isEqualTo(LagStatus.OK);
    }

    @Test
    void committedOffsetGoingBackIsRewindEvenAfterCatchingUp() {
        assertThat(RULES.judge(samples(true, 20, 20, 25, 30, 5, 30, 10, 30))).isEqualTo(LagStatus.REWIND);
    }

    @Test
    void onlyTheLastWindowOfSamplesIsJudged() {
        // The rewind from 50 to 5 lies before the last four samples, which then show a steady consumer.
        assertThat(RULES.judge(samples(true, 50, 60, 5, 60, 10, 60, 20, 60, 30, 60))).isEqualTo(LagStatus.OK);
    }

    @Test
    void noSamplesIsOk() {
        assertThat(RULES.judge(List.of())).isEqualTo(LagStatus.OK);
    }

    @Test
    void groupTakesItsWorstPartition() {
        assertThat(StatusRules.worstOf(List.of(LagStatus.OK, LagStatus.STALL, LagStatus.WARNING)))
                .isEqualTo(LagStatus.STALL);
        assertThat(StatusRules.worstOf(List.of())).isEqualTo(LagStatus.OK);
    }
}
