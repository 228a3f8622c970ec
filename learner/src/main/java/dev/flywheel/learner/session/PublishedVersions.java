package dev.flywheel.learner.session;

import dev.flywheel.runtime.config.KafkaSettings;
import dev.flywheel.runtime.versions.VersionFeed;
import dev.flywheel.schemas.PolicyVersion;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the policy-version topic holds for one model, read once at start. */
final class PublishedVersions {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedVersions.class);

    private PublishedVersions() {
    }

    /** The highest version of {@code model} on {@code topic}, 0 when none was published. */
    static long latest(KafkaSettings kafka, String topic, String model, Duration timeout) {
        return versions(kafka, topic, timeout).stream().filter(v -> v.getModel().equals(model))
                .mapToLong(PolicyVersion::getVersion).max().orElse(0);
    }

    /** The record of {@code version} of {@code model}. */
    static PolicyVersion record(KafkaSettings kafka, String topic, String model, long version, Duration timeout) {
        return versions(kafka, topic, timeout).stream()
                .filter(v -> v.getModel().equals(model) && v.getVersion() == version)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException(model + " v" + version + " is not on " + topic));
    }

    private static List<PolicyVersion> versions(KafkaSettings kafka, String topic, Duration timeout) {
        try (VersionFeed feed = VersionFeed.of(kafka, topic, "learner-version-scan",
                where -> LOG.warn("undecodable version record at {}", where))) {
            return feed.catchUp(timeout);
        }
    }
}
