package dev.flywheel.monitor.dashboard;

import dev.flywheel.schemas.PolicyVersion;
import java.util.Map;
import java.util.TreeMap;

/**
 * A published model version as the dashboard shows it: lineage, algorithm and the metrics it was published with
 * (for the policy: reward.mean, kl.mean and the eval.in/out.right/refuse/wrong rates).
 */
public record VersionView(String model, long version, Long parent, long step, String algo, double beta,
                          long publishedAt, Map<String, Double> metrics) {

    public VersionView {
        // Sorted, so the JSON lists metrics in a stable order.
        metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /** The view of a version record. */
    public static VersionView of(PolicyVersion version) {
        return new VersionView(version.getModel(), version.getVersion(), version.getParent(), version.getStep(),
                version.getAlgo(), version.getBeta(), version.getTs().toEpochMilli(), version.getMetrics());
    }
}
