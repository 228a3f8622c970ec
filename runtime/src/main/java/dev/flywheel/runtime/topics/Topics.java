package dev.flywheel.runtime.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The catalogue of Flywheel's topics (DESIGN.md §3) under one name prefix, {@code fw.} by default.
 *
 * <pre>{@code Topics topics = Topics.withPrefix("fw."); topics.createAll(admin); topics.prompts().name();}</pre>
 */
public final class Topics {

    /** The prefix used when none is configured. */
    public static final String DEFAULT_PREFIX = "fw.";

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private final String prefix;
    private final Map<String, TopicSpec> bySuffix;

    private Topics(String prefix, Map<String, TopicSpec> bySuffix) {
        this.prefix = prefix;
        this.bySuffix = bySuffix;
    }

    /** The catalogue with the default prefix {@code fw.}. */
    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** The catalogue with every topic name starting with {@code prefix}. */
    public static Topics withPrefix(String prefix) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("--prefix '" + prefix
                    + "' may only hold letters, digits, '.', '_' and '-' (Kafka's legal topic characters)");
        }
        Map<String, TopicSpec> specs = new LinkedHashMap<>();
        put(specs, prefix, "prompts", 3, retention(7 * DAY_MS), "Prompt", "id", "prompts from clients");
        // Rollouts outlive the feedback join window (7 days by default) so late feedback still finds them.
        put(specs, prefix, "rollouts", 3, retention(14 * DAY_MS), "Rollout", "promptId", "sampled responses with behaviour log-probs");
        put(specs, prefix, "feedback", 3, retention(14 * DAY_MS), "Feedback", "responseId", "user feedback on responses");
        put(specs, prefix, "scored-rollouts", 3, retention(7 * DAY_MS), "ScoredRollout", "promptId",
                "rollouts with reward, reference log-probs and KL");
        put(specs, prefix, "preferences", 3, retention(30 * DAY_MS), "PreferencePair", "promptId", "preference pairs for DPO and the RM");
        // Every version stays: lineage audits and replays read the whole history, so no deletion and no compaction.
        put(specs, prefix, "policy-versions", 1, retention(-1), "PolicyVersion", "model", "published policy and RM versions");
        put(specs, prefix, "metrics", 1, retention(7 * DAY_MS), "MetricPoint", "series", "window statistics and alarms");
        put(specs, prefix, "dead-letters", 1, retention(30 * DAY_MS), null, null,
                "records that failed to decode or validate, with the reason in headers");
        return new Topics(prefix, specs);
    }

    public String prefix() {
        return prefix;
    }

    public TopicSpec prompts() {
        return bySuffix.get("prompts");
    }

    public TopicSpec rollouts() {
        return bySuffix.get("rollouts");
    }

    public TopicSpec feedback() {
        return bySuffix.get("feedback");
    }

    public TopicSpec scoredRollouts() {
        return bySuffix.get("scored-rollouts");
    }

    public TopicSpec preferences() {
        return bySuffix.get("preferences");
    }

    public TopicSpec policyVersions() {
        return bySuffix.get("policy-versions");
    }

    public TopicSpec metrics() {
        return bySuffix.get("metrics");
    }

    public TopicSpec deadLetters() {
        return bySuffix.get("dead-letters");
    }

    /** Every topic, in the order of the loop. */
    public List<TopicSpec> all() {
        return List.copyOf(bySuffix.values());
    }

    /** The topic with this full name, if it is one of the catalogue's. */
    public Optional<TopicSpec> byName(String name) {
        return bySuffix.values().stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    /**
     * The catalogue topic that {@code name} is, under any prefix: {@code exp1.prompts} is the prompts topic of
     * prefix {@code exp1.}. Lets tools handle a topic without being told its prefix.
     */
    public static Optional<TopicSpec> recognise(String name) {
        return defaults().bySuffix.entrySet().stream()
                .filter(e -> name.endsWith(e.getKey()))
                .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
                .map(e -> withPrefix(name.substring(0, name.length() - e.getKey().length())).bySuffix.get(e.getKey()));
    }

    /** The same catalogue with every multi-partition topic at {@code count} partitions. */
    public Topics withPartitions(int count) {
        Map<String, TopicSpec> resized = new LinkedHashMap<>();
        bySuffix.forEach((suffix, spec) -> resized.put(suffix, spec.partitions() > 1 ? spec.withPartitions(count) : spec));
        return new Topics(prefix, resized);
    }

    /**
     * Creates every topic that does not exist yet; existing topics are left untouched, so it can run on every start.
     *
     * @return the names it created
     */
    public List<String> createAll(Admin admin) {
        try {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : bySuffix.values()) {
                if (!existing.contains(spec.name())) {
                    missing.add(spec.toNewTopic());
                }
            }
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    // Another process created it between our list and create: that is the idempotent outcome.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            TopicReadiness.awaitLeaders(admin, created, Duration.ofSeconds(60));
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out talking to Kafka while creating topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static Map<String, String> retention(long ms) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(ms));
    }

    private static void put(Map<String, TopicSpec> specs, String prefix, String suffix, int partitions,
                            Map<String, String> configs, String message, String keyField, String description) {
        specs.put(suffix, new TopicSpec(prefix + suffix, partitions, configs, Optional.ofNullable(message),
                Optional.ofNullable(keyField), description));
    }
}
