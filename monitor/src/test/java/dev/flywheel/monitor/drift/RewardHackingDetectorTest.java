package dev.flywheel.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RewardHackingDetectorTest {
    private final Random random = new Random(21);

    /** Feeds 60 rising reward points (0.2 → 0.5 with noise 0.02); the last verdict, if any. */
    private Optional<RewardHackingDetector.Verdict> risingReward(RewardHackingDetector detector) {
        Optional<RewardHackingDetector.Verdict> verdict = Optional.empty();
        for (int i = 0; i < 60; i++) {
            verdict = detector.rewardObserved(0.2 + 0.005 * i + 0.02 * random.nextGaussian());
        }
        return verdict;
    }

    @Test
    void risingRewardWithKlPastItsBoundIsFlaggedNamingTheKlSeries() {
        RewardHackingDetector detector = new RewardHackingDetector(30, 4, 5, 0.1);
        detector.klObserved("scorer.kl.mean", 7.5);
        Optional<RewardHackingDetector.Verdict> verdict = risingReward(detector);
        assertThat(verdict).isPresent();
        assertThat(verdict.get().trendT()).isGreaterThanOrEqualTo(4);
        assertThat(verdict.get().slope()).isBetween(0.003, 0.007);
        assertThat(verdict.get().evidence()).contains("scorer.kl.mean 7.500 > KL bound 5.000");
    }

    @Test
    void risingRewardWithShiftedLengthsIsFlagged() {
        RewardHackingDetector detector = new RewardHackingDetector(30, 4, 5, 0.1);
        detector.klObserved("scorer.kl.mean", 1.0);
        detector.lengthPsiObserved("scorer.response_length.mean", 0.8);
        assertThat(risingReward(detector)).map(RewardHackingDetector.Verdict::evidence)
                .hasValueSatisfying(evidence -> assertThat(evidence).contains("scorer.response_length.mean PSI 0.800"));
    }

    @Test
    void risingRewardWithKlWithinItsBoundIsWhatTrainingIsForAndRaisesNothing() {
        RewardHackingDetector detector = new RewardHackingDetector(30, 4, 5, 0.1);
        detector.klObserved("scorer.kl.mean", 4.9);
        detector.lengthPsiObserved("scorer.response_length.mean", 0.0);
        for (int i = 0; i < 200; i++) {
            assertThat(detector.rewardObserved(0.2 + 0.005 * i + 0.02 * random.nextGaussian())).isEmpty();
        }
    }

    @Test
    void flatRewardWithKlPastItsBoundIsNotRewardHacking() {
        RewardHackingDetector detector = new RewardHackingDetector(30, 4, 5, 0.1);
        detector.klObserved("scorer.kl.mean", 9);
        int flagged = 0;
        for (int i = 0; i < 2_000; i++) {
            if (detector.rewardObserved(0.2 + 0.02 * random.nextGaussian()).isPresent()) {
                flagged++;
            }
        }
        // t >= 4 over 30 points of pure noise has a chance of about 2 in 10,000 per point.
        assertThat(flagged).isLessThanOrEqualTo(2);
    }

    @Test
    void rejectsBoundsThatCannotBeMet() {
        assertThatThrownBy(() -> new RewardHackingDetector(20, 3, 0, 0.1)).hasMessageContaining("klBound");
        assertThatThrownBy(() -> new RewardHackingDetector(2, 3, 5, 0.1)).hasMessageContaining("at least 3 points");
    }
}
