package dev.flywheel.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.monitor.drift.AlarmKind;
import dev.flywheel.monitor.drift.DriftAlarm;
import dev.flywheel.monitor.lag.GroupLag;
import dev.flywheel.monitor.lag.LagReport;
import dev.flywheel.monitor.lag.LagStatus;
import dev.flywheel.monitor.lag.PartitionLag;
import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

    @Test
    void keepsOnlyTheNewestPointsOfEachChartedSeries() {
        DashboardState state = DashboardState.withoutMonitors(5);
        for (int i = 0; i < 12; i++) {
            state.accept(Points.stat(DashboardSeries.REWARD, 0, 10 * i, i / 10.0));
        }

        List<SeriesPoint> kept = state.snapshot().series().get(DashboardSeries.REWARD);
        assertThat(kept).extracting(SeriesPoint::value).containsExactly(0.7, 0.8, 0.9, 1.0, 1.1);
        assertThat(state.snapshot().pointsRead()).isEqualTo(12);
    }

    @Test
    void countsButDoesNotKeepSeriesTheDashboardDoesNotChart() {
        DashboardState state = DashboardState.withoutMonitors(10);
        state.accept(Points.stat("scorer.reward.p90", 0, 10, 0.9));
        state.accept(Points.stat(DashboardSeries.KL, 0, 10, 2.5));

        DashboardSnapshot snapshot = state.snapshot();
        assertThat(snapshot.pointsRead()).isEqualTo(2);
        assertThat(snapshot.series()).doesNotContainKey("scorer.reward.p90");
        assertThat(snapshot.series().get(DashboardSeries.KL)).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo(2.5));
    }

    @Test
    void latestIsTheNewestWindowThenTheHighestVersion() {
        DashboardState state = DashboardState.withoutMonitors(10);
        state.accept(Points.stat(DashboardSeries.REWARD, 2, 30, 0.60));
        state.accept(Points.stat(DashboardSeries.REWARD, 1, 40, 0.40));
        state.accept(Points.stat(DashboardSeries.REWARD, 2, 40, 0.55));
        state.accept(Points.stat(DashboardSeries.REWARD, 1, 20, 0.10));

        SeriesPoint latest = state.snapshot().latest().get(DashboardSeries.REWARD);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.value()).isEqualTo(0.55);
        assertThat(latest.at()).isEqualTo(Points.T0.plusSeconds(40).toEpochMilli());
        assertThat(state.snapshot().latest()).doesNotContainKey(DashboardSeries.KL);
    }

    @Test
    void listsAnAlarmOnceWhetherReadFromTheTopicOrHeldByTheDetectors() {
        DriftAlarm detected = new DriftAlarm(Points.T0.plusSeconds(50), AlarmKind.CHANGE_POINT, DashboardSeries.REWARD,
                3, 27.5, "reward mean of v3 shifted up");
        DashboardState state = DashboardState.pulling(10, LagView::empty, () -> List.of(AlarmView.of(detected)));
        state.accept(Points.alarm(detected.id(), "change_point", DashboardSeries.REWARD, 3, 50, 27.5));
        state.accept(Points.alarm("monitor.alarm.reward_hacking@scorer.reward.mean@v3@60", "reward_hacking",
                DashboardSeries.REWARD, 3, 60, 4.2));

        List<AlarmView> alarms = state.snapshot().alarms();
        assertThat(alarms).extracting(AlarmView::kind).containsExactly("CHANGE_POINT", "REWARD_HACKING");
        assertThat(alarms.get(0).series()).isEqualTo(DashboardSeries.REWARD);
        assertThat(alarms.get(0).version()).isEqualTo(3);
        assertThat(alarms.get(1).value()).isCloseTo(4.2, within(1e-12));
        assertThat(state.snapshot().alarms()).hasSize(2);
    }

    @Test
    void listsTheLearnersPublishGuardsAsAlarms() {
        MetricPoint guard = MetricPoint.newBuilder().setId("learner.guard.kl@v4@123").setTs(Points.T0)
                .setSeries("learner.guard.kl").setKind(MetricKind.ALARM).setValue(1).setPolicyVersion(4L)
                .setMessage("KL 12.1 over --max-kl 10").setTags(Map.of("component", "learner", "guard", "kl")).build();
        DashboardState state = DashboardState.withoutMonitors(10);
        state.accept(guard);

        assertThat(state.snapshot().alarms()).singleElement().satisfies(alarm -> {
            assertThat(alarm.kind()).isEqualTo("GUARD_KL");
            assertThat(alarm.series()).isEqualTo("learner.guard.kl");
            assertThat(alarm.version()).isEqualTo(4);
            assertThat(alarm.message()).isEqualTo("KL 12.1 over --max-kl 10");
        });
        assertThat(state.snapshot().series().values()).allSatisfy(points -> assertThat(points).isEmpty());
    }

    @Test
    void addsALagSampleToTheHistoryOnlyWhenTheLagMonitorTookANewOne() {
        AtomicReference<LagReport> latest = new AtomicReference<>(report(0, 7));
        DashboardState state = DashboardState.pulling(10, () -> LagView.of(latest.get()), List::of);
        state.snapshot();
        state.snapshot();
        latest.set(report(5, 4));
        DashboardSnapshot snapshot = state.snapshot();

        assertThat(snapshot.lagHistory()).extracting(s -> s.recordsByGroup().get("flywheel-generator"))
                .containsExactly(7L + 3L, 4L + 3L);
        LagView.Group group = snapshot.lagOf("flywheel-generator").orElseThrow();
        assertThat(group.status()).isEqualTo("WARNING");
        assertThat(group.lagRecords()).isEqualTo(7);
        assertThat(group.partitions()).extracting(LagView.Partition::lagSeconds).containsExactly(12.5, null);
    }

    @Test
    void aRepublishedVersionReplacesTheEarlierRecordAndOldVersionsFallOff() {
        DashboardState state = DashboardState.withoutMonitors(3);
        for (long v = 0; v < 5; v++) {
            state.accept(Points.policy(v, 0.9, 0.8));
        }
        state.accept(Points.policy(4, 0.95, 0.5));

        List<VersionView> versions = state.snapshot().versionsOf("policy");
        assertThat(versions).extracting(VersionView::version).containsExactly(2L, 3L, 4L);
        assertThat(versions.get(2).metrics()).containsEntry("eval.in.right", 0.95).containsEntry("eval.out.wrong", 0.5);
        assertThat(versions.get(2).parent()).isEqualTo(3);
    }

    @Test
    void refusesAHistoryTooShortToDrawALine() {
        assertThatThrownBy(() -> DashboardState.withoutMonitors(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 history points");
    }

    /** The generator's group lagging {@code lag} records (seconds known) and 3 more (seconds unknown). */
    private static LagReport report(int seconds, long lag) {
        List<PartitionLag> partitions = new ArrayList<>();
        partitions.add(new PartitionLag("fw.prompts", 0, 100, 100 + lag, lag, 12.5, "c-1", "/127.0.0.1"));
        partitions.add(new PartitionLag("fw.prompts", 1, 50, 53, 3, Double.NaN, PartitionLag.NONE, PartitionLag.NONE));
        GroupLag group = new GroupLag("flywheel-generator", "Stable", LagStatus.WARNING, partitions);
        return new LagReport(Points.T0.plusSeconds(seconds), List.of(group));
    }
}
