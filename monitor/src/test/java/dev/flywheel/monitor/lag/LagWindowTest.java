package dev.flywheel.monitor.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagWindowTest {

    private static PartitionLag lag(int partition, long committed, long end) {
        return new PartitionLag("fw.rollouts", partition, committed, end, end - committed, 2.5, "c-1", "/10.0.0.1");
    }

    private static LagReport sample(int second, GroupLag... groups) {
        return new LagReport(Instant.ofEpochSecond(second), List.of(groups));
    }

    private static GroupLag group(String id, PartitionLag... partitions) {
        return new GroupLag(id, "Stable", LagStatus.OK, List.of(partitions));
    }

    @Test
    void groupStatusIsJudgedOverTheWindowAndTakesTheWorstPartition() {
        LagWindow window = LagWindow.ofSize(3);
        window.add(sample(0, group("scorer", lag(0, 5, 10), lag(1, 0, 10))));
        window.add(sample(5, group("scorer", lag(0, 10, 12), lag(1, 0, 15))));
        LagReport judged = window.add(sample(10, group("scorer", lag(0, 12, 12), lag(1, 0, 20))));

        assertThat(judged.group("scorer")).get().satisfies(g -> {
            assertThat(g.status()).isEqualTo(LagStatus.STALL);
            assertThat(g.totalLagRecords()).isEqualTo(20);
            assertThat(g.maxLagSeconds()).isEqualTo(2.5);
        });
        assertThat(judged.at()).isEqualTo(Instant.ofEpochSecond(10));
    }

    @Test
    void samplesOlderThanTheWindowAreDropped() {
        LagWindow window = LagWindow.ofSize(2);
        window.add(sample(0, group("learner", lag(0, 30, 40))));
        window.add(sample(5, group("learner", lag(0, 10, 40))));
        assertThat(window.add(sample(10, group("learner", lag(0, 20, 40)))).group("learner").get().status())
                .as("the rewind from 30 to 10 has left a window of two samples").isEqualTo(LagStatus.OK);
    }

    @Test
    void aGroupThatLeftTheReportStartsAfreshWhenItReturns() {
        LagWindow window = LagWindow.ofSize(2);
        window.add(sample(0, group("generator", lag(0, 50, 60))));
        window.add(sample(5));
        assertThat(window.add(sample(10, group("generator", lag(0, 10, 60)))).group("generator").get().status())
                .as("no memory of offset 50, so no rewind").isEqualTo(LagStatus.OK);
    }
}
