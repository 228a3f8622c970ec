package dev.flywheel.monitor.dashboard;

import java.util.Map;

/**
 * Lag in records of every group at one sampling moment: a point of the lag-over-time chart.
 *
 * @param at             when the lag monitor took the sample, epoch milliseconds
 * @param recordsByGroup total lag in records per consumer group
 */
public record LagSample(long at, Map<String, Long> recordsByGroup) {

    public LagSample {
        recordsByGroup = Map.copyOf(recordsByGroup);
    }
}
