package dev.flywheel.runtime.topics;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One topic of the catalogue: its full name, partitions, topic configs, and the message its values carry.
 *
 * @param name full topic name, prefix included (e.g. {@code fw.prompts})
 * @param partitions number of partitions it is created with
 * @param configs topic-level configs (retention, cleanup policy) passed to Kafka as they are
 * @param valueMessage the Avro message name of its values ({@code Prompt}, …), or empty for raw bytes
 * @param keyField the value field whose text is the record key (DESIGN.md §3: prompts by id, rollouts by prompt id…)
 * @param description what flows on it, for {@code flywheel topics list}
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs,
                        Optional<String> valueMessage, Optional<String> keyField,
                        String description) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition, was " + partitions);
        }
        configs = Map.copyOf(configs);
        Objects.requireNonNull(valueMessage, "valueMessage");
        Objects.requireNonNull(keyField, "keyField");
    }

    /** The admin request that creates it; replication factor is the broker's default. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }

    /** The same topic with another partition count. */
    public TopicSpec withPartitions(int count) {
        return new TopicSpec(name, count, configs, valueMessage, keyField, description);
    }
}
