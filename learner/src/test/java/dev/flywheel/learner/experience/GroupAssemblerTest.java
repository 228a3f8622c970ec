package dev.flywheel.learner.experience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.learner.ledger.RecordPosition;
import org.junit.jupiter.api.Test;

class GroupAssemblerTest {

    private static Experience sample(String group, int size, long offset) {
        return new Experience(new RecordPosition("t", 0, offset), group + "/" + offset, new int[] {1}, new int[] {2},
                new float[] {-1f}, new float[] {-1f}, 1.0, 0, 1f, group, size);
    }

    @Test
    void releasesAGroupOnlyWhenItsLastSampleArrives() {
        GroupAssembler groups = new GroupAssembler(100);
        assertThat(groups.offer(sample("a", 3, 0)).completed()).isEmpty();
        assertThat(groups.offer(sample("b", 2, 1)).completed()).isEmpty();
        assertThat(groups.offer(sample("a", 3, 2)).completed()).isEmpty();
        assertThat(groups.offer(sample("b", 2, 3)).completed()).singleElement()
                .satisfies(g -> assertThat(g).extracting(Experience::groupId).containsOnly("b"));
        var last = groups.offer(sample("a", 3, 4));
        assertThat(last.completed()).singleElement().satisfies(g -> assertThat(g).hasSize(3));
        assertThat(groups.waiting()).isZero();
    }

    @Test
    void dropsAnIncompleteGroupAfterTheWaitBoundInRecords() {
        GroupAssembler groups = new GroupAssembler(3);
        groups.offer(sample("lost", 4, 0));
        groups.offer(sample("x", 1, 1));
        var second = groups.offer(sample("y", 1, 2));
        assertThat(second.expired()).isEmpty();
        var third = groups.offer(sample("z", 1, 3));
        assertThat(third.expired()).singleElement().satisfies(g -> assertThat(g).extracting(Experience::groupId)
                .containsExactly("lost"));
        assertThat(groups.waiting()).isZero();
    }
}
