package dev.flywheel.monitor.dashboard;

import dev.flywheel.schemas.MetricKind;
import dev.flywheel.schemas.MetricPoint;
import dev.flywheel.schemas.PolicyVersion;
import dev.flywheel.schemas.serde.TrustedSchemaPackage;
import java.time.Instant;
import java.util.Map;

/** Metric points and version records as the scorer, the drift monitor and the learner write them. */
final class Points {

    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    private Points() {
    }

    /** A scorer STAT point of {@code series} for the window ending {@code seconds} after T0. */
    static MetricPoint stat(String series, long version, int seconds, double value) {
        Instant end = T0.plusSeconds(seconds);
        return MetricPoint.newBuilder().setId(series + "@v" + version + "@" + seconds).setTs(end).setSeries(series)
                .setKind(MetricKind.STAT).setValue(value).setPolicyVersion(version)
                .setWindowStart(end.minusSeconds(10)).setWindowEnd(end).setCount(20L)
                .setTags(Map.of("component", "scorer")).build();
    }

    /** An ALARM point in the drift monitor's format. */
    static MetricPoint alarm(String id, String kind, String source, long version, int seconds, double value) {
        return MetricPoint.newBuilder().setId(id).setTs(T0.plusSeconds(seconds))
                .setSeries(AlarmView.ALARM_SERIES_PREFIX + kind).setKind(MetricKind.ALARM).setValue(value)
                .setPolicyVersion(version).setMessage(kind + " on " + source)
                .setTags(Map.of("component", "monitor", "source", source)).build();
    }

    /** A policy version with eval rates, reward and KL at publish time. */
    static PolicyVersion policy(long version, double inRight, double outWrong) {
        TrustedSchemaPackage.ensureTrusted();
        return PolicyVersion.newBuilder().setId("policy@" + version).setTs(T0.plusSeconds(60 * version))
                .setModel("policy").setVersion(version).setParent(version == 0 ? null : version - 1)
                .setStep(100 * version).setSha256("ab".repeat(32)).setUri("file:/models/v" + version)
                .setSizeBytes(1000).setBeta(0.05).setAlgo(version == 0 ? "bootstrap" : "ppo")
                .setMetrics(Map.of("reward.mean", 0.1 * version, "kl.mean", 0.5 * version,
                        "eval.in.right", inRight, "eval.in.refuse", 0.0, "eval.in.wrong", 1 - inRight,
                        "eval.out.right", 0.0, "eval.out.refuse", 1 - outWrong, "eval.out.wrong", outWrong))
                .build();
    }
}
