package dev.flywheel.feedback.aggregate;

import static dev.flywheel.feedback.Fixtures.prefers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.schemas.Feedback;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoteTallyTest {
    private static final Instant T = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void majorityOfFourAgainstOneWithATieVoteIgnoresTheTieInAgreement() {
        Feedback tie = Feedback.newBuilder(prefers("f-5", "eve", "a", "b", T.plusSeconds(9))).setValue(0).build();
        VoteTally tally = VoteTally.of("a", "b", List.of(prefers("f-1", "ann", "a", "b", T), prefers("f-2", "bob", "b", "a", T),
                prefers("f-3", "cy", "b", "a", T), prefers("f-4", "dee", "b", "a", T), tie));

        assertThat(tally.chosen()).isEqualTo("b");
        assertThat(tally.rejected()).isEqualTo("a");
        assertThat(tally.raters()).isEqualTo(5);
        assertThat(tally.tieVotes()).isEqualTo(1);
        assertThat(tally.agreement()).isCloseTo(0.75, within(1e-12));
        assertThat(tally.margin()).isCloseTo(0.5, within(1e-12));
        assertThat(tally.minorityVotes()).isEqualTo(1);
        assertThat(tally.latest()).isEqualTo(T.plusSeconds(9));
    }

    @Test
    void oneAgainstOneIsATie() {
        VoteTally tally = VoteTally.of("a", "b", List.of(prefers("f-1", "ann", "a", "b", T), prefers("f-2", "bob", "b", "a", T)));
        assertThat(tally.tied()).isTrue();
    }

    @Test
    void refusesAVoteAboutAnotherPair() {
        assertThatThrownBy(() -> VoteTally.of("a", "b", List.of(prefers("f-1", "ann", "c", "a", T))))
                .hasMessageContaining("vote f-1 is not about pair a / b");
    }
}
