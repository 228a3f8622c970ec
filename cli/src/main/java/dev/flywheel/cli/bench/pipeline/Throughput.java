package dev.flywheel.cli.bench.pipeline;

import dev.flywheel.cli.bench.BenchReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one side of the pipeline benchmark achieved.
 *
 * @param steps         optimizer steps taken
 * @param examples      examples (scored rollouts) trained on
 * @param seconds       wall time from the first record read to the last step's end
 * @param trainSeconds  the part of {@code seconds} spent inside the trainer's batch steps; the rest went to reading,
 *                      decoding and waiting, which is where the two sides can differ
 */
public record Throughput(long steps, long examples, double seconds, double trainSeconds) {

    /** The round with the median wall time (the lower middle one of an even count). */
    public static Throughput median(List<Throughput> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no round was run");
        }
        List<Throughput> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(Throughput::seconds));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Seconds outside the trainer's batch steps: reading, decoding and waiting for records. */
    public double otherSeconds() {
        return seconds - trainSeconds;
    }

    /** Examples trained per second. */
    public double examplesPerSecond() {
        return examples / seconds;
    }

    /** Optimizer steps per second. */
    public double stepsPerSecond() {
        return steps / seconds;
    }

    /** The figures for a report. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("examples", examples);
        m.put("seconds", BenchReport.round(seconds, 3));
        m.put("examples_per_s", BenchReport.round(examplesPerSecond(), 2));
        m.put("steps_per_s", BenchReport.round(stepsPerSecond(), 3));
        m.put("train_seconds", BenchReport.round(trainSeconds, 3));
        m.put("other_seconds", BenchReport.round(otherSeconds(), 3));
        return m;
    }
}
