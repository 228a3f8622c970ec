package dev.flywheel.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Must-show 2: the drift alarms on synthetic reward, KL and length series. */
class DriftDetectorsTest {
    private static final String REWARD = "scorer.reward.mean";
    private static final String KL = "scorer.kl.mean";
    private static final String LENGTH = "scorer.response_length.mean";
    private static final Instant START = Instant.parse("2026-11-27T00:00:00Z");

    private static Instant at(int point) {
        return START.plusSeconds(10L * point);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261127, 987654321})
    void aRewardMeanShiftRaisesAChangePointWithin50PointsOfTheShift(long seed) {
        DriftDetectors detectors = new DriftDetectors(DriftConfig.defaults());
        Random random = new Random(seed);
        int shiftAt = 300;
        List<DriftAlarm> before = new ArrayList<>();
        for (int i = 0; i < shiftAt; i++) {
            before.addAll(detectors.observe(REWARD, 4, at(i), 0.2 + 0.05 * random.nextGaussian()));
        }
        assertThat(before).as("alarms on the stationary part").isEmpty();
        DriftAlarm first = null;
        int raisedAfter = -1;
        for (int i = 0; i < 50 && first == null; i++) {
            List<DriftAlarm> alarms = detectors.observe(REWARD, 4, at(shiftAt + i), 0.5 + 0.05 * random.nextGaussian());
            if (!alarms.isEmpty()) {
                first = alarms.get(0);
                raisedAfter = i + 1;
            }
        }
        assertThat(first).as("an alarm within 50 points of the shift").isNotNull();
        assertThat(first.kind()).isEqualTo(AlarmKind.CHANGE_POINT);
        assertThat(first.series()).isEqualTo(REWARD);
        assertThat(first.policyVersion()).isEqualTo(4);
        assertThat(first.value()).isGreaterThan(25);
        assertThat(first.message()).contains("moved up").contains("policy version 4");
        assertThat(first.at()).isEqualTo(at(shiftAt + raisedAfter - 1));
        assertThat(raisedAfter).as("points after the shift").isLessThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 20261127, 987654321})
    void stationaryRewardKlAndLengthSeriesRaiseNoAlarmOver10000Points(long seed) {
        DriftDetectors detectors = new DriftDetectors(DriftConfig.defaults());
        Random random = new Random(seed);
        List<DriftAlarm> alarms = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long version = i / 500;
            alarms.addAll(detectors.observe(REWARD, version, at(i), 0.2 + 0.05 * random.nextGaussian()));
            alarms.addAll(detectors.observe("scorer.rm_score.mean", version, at(i), 1.5 + 0.3 * random.nextGaussian()));
            alarms.addAll(detectors.observe(KL, version, at(i), 1.0 + 0.2 * random.nextGaussian()));
            alarms.addAll(detectors.observe("learner.kl", version, at(i), 0.05 + 0.01 * random.nextGaussian()));
            alarms.addAll(detectors.observe(LENGTH, version, at(i), 40 + 3 * random.nextGaussian()));
        }
        assertThat(alarms).isEmpty();
    }

    /** Reward rising 0.2 → 0.6 over 120 points, KL rising 1 → 13 or flat at 1; the REWARD_HACKING alarms raised. */
    private static List<DriftAlarm> rewardUpWith(boolean klUp, long seed) {
        DriftDetectors detectors = new DriftDetectors(DriftConfig.defaults());
        Random random = new Random(seed);
        List<DriftAlarm> alarms = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            long version = i / 10;
            double kl = klUp ? 1.0 + 0.1 * i : 1.0;
            alarms.addAll(detectors.observe(KL, version, at(i), kl + 0.1 * random.nextGaussian()));
            alarms.addAll(detectors.observe(LENGTH, version, at(i), 40 + 3 * random.nextGaussian()));
            alarms.addAll(detectors.observe(REWARD, version, at(i), 0.2 + i * 0.4 / 120 + 0.03 * random.nextGaussian()));
        }
        return alarms.stream().filter(alarm -> alarm.kind() == AlarmKind.REWARD_HACKING).toList();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void rewardUpWithKlUpPastTheBoundRaisesRewardHackingOncePerVersionOnceKlPassesIt(long seed) {
        List<DriftAlarm> hacking = rewardUpWith(true, seed);
        assertThat(hacking).isNotEmpty();
        DriftAlarm first = hacking.get(0);
        assertThat(first.series()).isEqualTo(REWARD);
        // KL = 1 + 0.1·i (noise 0.1) passes the default bound of 8 nats around i = 70, in version 7.
        assertThat(first.at()).isBetween(at(66), at(75));
        assertThat(first.policyVersion()).isBetween(6L, 7L);
        assertThat(first.value()).isGreaterThanOrEqualTo(4);
        assertThat(first.message()).contains("keeps rising").contains(KL).contains("KL bound 8.000");
        assertThat(hacking).extracting(DriftAlarm::policyVersion).doesNotHaveDuplicates().isSorted();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void rewardUpWithKlFlatRaisesNoRewardHacking(long seed) {
        assertThat(rewardUpWith(false, seed)).isEmpty();
    }

    @Test
    void aWiderLengthDistributionRaisesOnePsiAlarmAndWithARisingRewardRewardHacking() {
        DriftDetectors detectors = new DriftDetectors(DriftConfig.defaults());
        Random random = new Random(31);
        List<DriftAlarm> alarms = new ArrayList<>();
        // Same mean throughout, so Page–Hinkley has nothing to see; the spread triples after the reference.
        for (int i = 0; i < 1_000; i++) {
            double spread = i < 200 ? 3 : 9;
            alarms.addAll(detectors.observe(LENGTH, i / 100, at(i), 40 + spread * random.nextGaussian()));
            alarms.addAll(detectors.observe(KL, i / 100, at(i), 1.0 + 0.1 * random.nextGaussian()));
            alarms.addAll(detectors.observe(REWARD, i / 100, at(i), 0.2 + i * 0.0005 + 0.03 * random.nextGaussian()));
        }
        List<DriftAlarm> psi = alarms.stream().filter(alarm -> alarm.series().equals(LENGTH)).toList();
        assertThat(psi).singleElement().satisfies(alarm -> {
            assertThat(alarm.kind()).isEqualTo(AlarmKind.PSI_ALARM);
            // The first window after the 200-point reference completes at point 399, in version 3.
            assertThat(alarm.at()).isEqualTo(at(399));
            assertThat(alarm.policyVersion()).isEqualTo(3);
            assertThat(alarm.value()).isGreaterThan(0.5);
            assertThat(alarm.message()).contains("against the first 200 points");
        });
        List<DriftAlarm> hacking = alarms.stream().filter(alarm -> alarm.kind() == AlarmKind.REWARD_HACKING).toList();
        assertThat(hacking).isNotEmpty().allSatisfy(alarm -> {
            assertThat(alarm.at()).isAfterOrEqualTo(at(399));
            assertThat(alarm.message()).contains(LENGTH + " PSI");
        });
        assertThat(alarms).filteredOn(alarm -> alarm.series().equals(KL)).isEmpty();
    }

    @Test
    void readsScorerPointsAndIgnoresAlarmsUnwatchedSeriesAndNonFiniteValues() {
        DriftDetectors detectors = new DriftDetectors(DriftConfig.defaults().withPageHinkley(0.5, 5, 5));
        List<DriftAlarm> alarms = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double value = i < 20 ? 0.2 + 0.01 * (i % 3) : 5.0;
            alarms.addAll(detectors.observe(point(REWARD, MetricKind.ALARM, value, 2L, i)));
            alarms.addAll(detectors.observe(point("scorer.reward.p90", MetricKind.STAT, value, 2L, i)));
            alarms.addAll(detectors.observe(point(REWARD, MetricKind.STAT, Double.NaN, 2L, i)));
        }
        assertThat(alarms).isEmpty();
        for (int i = 0; i < 30 && alarms.isEmpty(); i++) {
            double value = i < 20 ? 0.2 + 0.01 * (i % 3) : 5.0;
            alarms.addAll(detectors.observe(point(REWARD, MetricKind.STAT, value, null, i)));
        }
        assertThat(alarms).singleElement().satisfies(alarm -> {
            assertThat(alarm.kind()).isEqualTo(AlarmKind.CHANGE_POINT);
            assertThat(alarm.policyVersion()).isEqualTo(DriftAlarm.NO_VERSION);
            assertThat(alarm.at()).isEqualTo(at(20));
            assertThat(alarm.id()).isEqualTo("monitor.alarm.change_point@scorer.reward.mean@v-1@" + at(20).toEpochMilli());
        });
    }

    private static MetricPoint point(String series, MetricKind kind, double value, Long version, int i) {
        return MetricPoint.newBuilder().setId(series + "@" + i).setTs(at(i)).setSeries(series).setKind(kind)
                .setValue(value).setPolicyVersion(version).setTags(Map.of("component", "scorer")).build();
    }
}
