package dev.flywheel.scorer.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.schemas.RewardSource;
import dev.flywheel.scorer.ScorerConfig;
import dev.flywheel.scorer.kl.TokenKl;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reward recipes, option parsing and the shaped reward on plain arrays. */
class RewardRecipeTest {

    @Test
    void parsesTheThreeRewardOptionsAndRecordsTheirSource() {
        assertThat(RewardMode.parse("rm").source()).isEqualTo(RewardSource.RM);
        assertThat(RewardMode.parse(" Judge ").source()).isEqualTo(RewardSource.JUDGE);
        assertThat(RewardMode.parse("rm+judge").source()).isEqualTo(RewardSource.RM_AND_JUDGE);
        assertThatThrownBy(() -> RewardMode.parse("human")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--reward must be rm, judge or rm+judge, got 'human'");
    }

    @Test
    void combinesOnlyTheComponentsOfItsModeAndClipsSymmetrically() {
        assertThat(RewardRecipe.of(RewardMode.RM).combine(0.7, -1)).isEqualTo(0.7);
        assertThat(RewardRecipe.of(RewardMode.JUDGE).combine(0.7, -1)).isEqualTo(-1);
        assertThat(RewardRecipe.of(RewardMode.RM_AND_JUDGE).withWeights(2, 0.25).combine(0.5, -1)).isEqualTo(0.75);
        RewardRecipe clipped = RewardRecipe.rewardModel().withClip(0.3);
        assertThat(clipped.clipped(0.9)).isEqualTo(0.3);
        assertThat(clipped.clipped(-0.9)).isEqualTo(-0.3);
        assertThat(clipped.clipped(0.1)).isEqualTo(0.1);
        assertThatThrownBy(() -> RewardRecipe.rewardModel().withClip(0)).hasMessageContaining("--reward-clip must be > 0");
        assertThatThrownBy(() -> RewardRecipe.of(RewardMode.RM_AND_JUDGE).withWeights(0, 0))
                .hasMessageContaining("--rm-weight and --judge-weight");
    }

    @Test
    void shapedRewardIsMinusBetaK1PerTokenPlusTheRewardOnTheLastToken() {
        TokenKl kl = TokenKl.of(new float[] {-1.0f, -2.0f, -0.5f}, new float[] {-1.5f, -1.0f, -0.5f});
        assertThat(kl.k1()).containsExactly(0.5f, -1.0f, 0.0f);
        assertThat(kl.k3()[0]).isCloseTo((float) (Math.exp(-0.5) + 0.5 - 1), within(1e-7f));
        assertThat(kl.k3()[2]).isZero();
        assertThat(kl.sequenceKl()).isEqualTo(-0.5);
        assertThat(kl.shapedRewards(0.1, 2.0)).containsExactly(-0.05f, 0.1f, 2.0f);
        assertThatThrownBy(() -> TokenKl.of(new float[2], new float[3])).hasMessageContaining("same tokens");
    }

    @Test
    void configRejectsUnusableValuesNamingTheOption() {
        ScorerConfig.Builder builder = ScorerConfig.builder(Path.of("models"));
        assertThatThrownBy(() -> builder.batches(0, Duration.ofMillis(5)).build())
                .hasMessageContaining("--batch-size must be at least 1");
        assertThatThrownBy(() -> builder.batches(4, Duration.ZERO).build())
                .hasMessageContaining("--max-batch-delay-ms must be at least 1");
        assertThatThrownBy(() -> builder.batches(4, Duration.ofMillis(5)).beta(-1).build())
                .hasMessageContaining("--beta must be finite and >= 0");
        assertThatThrownBy(() -> builder.beta(0.1).applicationId("has space").build())
                .hasMessageContaining("--application-id 'has space'");
    }
}
