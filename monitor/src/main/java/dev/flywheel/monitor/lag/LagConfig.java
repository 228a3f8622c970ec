package dev.flywheel.monitor.lag;

import dev.flywheel.runtime.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the lag monitor samples: every {@code interval}, keeping {@code windowSize} samples per partition for the
 * status rules, for every group committed on a topic under {@code topicPrefix} plus the {@code extraGroups}.
 */
public record LagConfig(Duration interval, int windowSize, List<String> extraGroups, String topicPrefix) {

    public LagConfig {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("lag --interval must be a positive duration such as PT5S, was " + interval);
        }
        if (windowSize < 2) {
            throw new IllegalArgumentException("lag --window must hold at least 2 samples to see a trend, was "
                    + windowSize);
        }
        extraGroups = List.copyOf(extraGroups);
        for (String group : extraGroups) {
            if (group.isBlank()) {
                throw new IllegalArgumentException("lag --group is empty: name a consumer group, e.g. --group my-app");
            }
        }
        Topics.withPrefix(topicPrefix); // rejects a prefix that no topic name could have
    }

    /** Every 5 s, a window of 12 samples (one minute), Flywheel's groups under {@code fw.} only. */
    public static LagConfig defaults() {
        return new LagConfig(Duration.ofSeconds(5), 12, List.of(), Topics.DEFAULT_PREFIX);
    }

    /** The same config sampling every {@code newInterval}. */
    public LagConfig withInterval(Duration newInterval) {
        return new LagConfig(newInterval, windowSize, extraGroups, topicPrefix);
    }

    /** The same config judging status over {@code samples} samples. */
    public LagConfig withWindowSize(int samples) {
        return new LagConfig(interval, samples, extraGroups, topicPrefix);
    }

    /** The same config also reporting these groups, whatever topics they read. */
    public LagConfig withGroups(List<String> groups) {
        return new LagConfig(interval, windowSize, groups, topicPrefix);
    }

    /** The same config recognising Flywheel's groups by topics under {@code prefix}. */
    public LagConfig withTopicPrefix(String prefix) {
        return new LagConfig(interval, windowSize, extraGroups, prefix);
    }
}
