package dev.flywheel.feedback.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.task.Pool;
import dev.flywheel.core.task.Question;
import dev.flywheel.core.task.QuestionKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackQualityTest {

    @Test
    void recoversTheCrowdsNoiseAndDisagreementFromThumbs() {
        RaterCrowd crowd = new RaterCrowd(11L, 5, 3, 0.08, 0.15);
        Question question = new Question("Q: 3+4?\nA:", QuestionKind.SUM, Pool.KNOWN, "7");
        FeedbackQuality quality = new FeedbackQuality();
        for (int item = 0; item < 40_000; item++) {
            String response = item % 2 == 0 ? " 7" : " 8";
            List<Boolean> correct = new ArrayList<>();
            for (String rater : crowd.ratersFor("r-" + item)) {
                correct.add(crowd.thumbsUp("r-" + item, rater, question, response) == (item % 2 == 0));
            }
            quality.item(correct);
        }
        FeedbackQuality.Measures measured = quality.measures();
        assertThat(measured.noise()).isCloseTo(0.08, within(0.01));
        assertThat(measured.disagreement()).isCloseTo(0.15, within(0.01));
        assertThat(measured.errorRate()).isCloseTo(0.08 * 0.85 + 0.92 * 0.15, within(0.01));
        assertThat(measured.items()).isEqualTo(40_000);
    }

    @Test
    void theSameItemAndRaterAlwaysGetTheSameDecision() {
        RaterCrowd one = new RaterCrowd(5L, 5, 3, 0.2, 0.2);
        RaterCrowd other = new RaterCrowd(5L, 5, 3, 0.2, 0.2);
        Question question = new Question("Q: 1+1?\nA:", QuestionKind.SUM, Pool.KNOWN, "2");
        for (int item = 0; item < 200; item++) {
            assertThat(other.ratersFor("i" + item)).isEqualTo(one.ratersFor("i" + item)).hasSize(3).doesNotHaveDuplicates();
            for (String rater : one.ratersFor("i" + item)) {
                assertThat(other.thumbsUp("i" + item, rater, question, " 2"))
                        .isEqualTo(one.thumbsUp("i" + item, rater, question, " 2"));
            }
        }
    }
}
