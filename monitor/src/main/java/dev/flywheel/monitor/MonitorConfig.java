package dev.flywheel.monitor;

import dev.flywheel.monitor.dashboard.DashboardState;
import dev.flywheel.monitor.drift.DriftConfig;
import dev.flywheel.monitor.lag.LagConfig;
import dev.flywheel.runtime.http.EndpointAddress;
import dev.flywheel.runtime.topics.Topics;
import java.util.Objects;

/**
 * Settings of the monitor service: where its page and metrics listen, which topics it watches, and how lag and drift
 * are judged.
 *
 * <pre>{@code MonitorConfig config = MonitorConfig.listeningOn(EndpointAddress.loopback(8080)).withTopics(Topics.withPrefix("exp1."));}</pre>
 *
 * @param endpoint      address of the dashboard, /api/state, /metrics and /health
 * @param topics        the topic catalogue whose fw.metrics and fw.policy-versions the dashboard reads
 * @param lag           lag sampling (its topic prefix follows {@code topics})
 * @param drift         drift detectors
 * @param historyPoints entries the dashboard keeps per chart, version list and alarm list
 */
public record MonitorConfig(EndpointAddress endpoint, Topics topics, LagConfig lag, DriftConfig drift, int historyPoints) {

    public MonitorConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(drift, "drift");
        if (historyPoints < 2) {
            throw new IllegalArgumentException("the dashboard keeps at least 2 points per chart, asked for " + historyPoints);
        }
        if (!lag.topicPrefix().equals(topics.prefix())) {
            throw new IllegalArgumentException("the lag monitor's topic prefix '" + lag.topicPrefix()
                    + "' differs from the topics' prefix '" + topics.prefix() + "': set both with withTopics(...)");
        }
    }

    /** Default topics ({@code fw.}), lag and drift settings, listening on {@code endpoint}. */
    public static MonitorConfig listeningOn(EndpointAddress endpoint) {
        return new MonitorConfig(endpoint, Topics.defaults(), LagConfig.defaults(), DriftConfig.defaults(),
                DashboardState.DEFAULT_HISTORY);
    }

    /** The same settings watching the topics of {@code catalogue} (and the groups that read them). */
    public MonitorConfig withTopics(Topics catalogue) {
        return new MonitorConfig(endpoint, catalogue, lag.withTopicPrefix(catalogue.prefix()), drift, historyPoints);
    }

    /** The same settings with this lag sampling; its topic prefix is set to the topics' prefix. */
    public MonitorConfig withLag(LagConfig sampling) {
        return new MonitorConfig(endpoint, topics, sampling.withTopicPrefix(topics.prefix()), drift, historyPoints);
    }

    /** The same settings with these drift detectors. */
    public MonitorConfig withDrift(DriftConfig detectors) {
        return new MonitorConfig(endpoint, topics, lag, detectors, historyPoints);
    }

    /** The same settings keeping {@code points} entries per chart. */
    public MonitorConfig withHistory(int points) {
        return new MonitorConfig(endpoint, topics, lag, drift, points);
    }
}
