package dev.flywheel.cli.metrics;

import dev.flywheel.runtime.http.Health;
import org.apache.kafka.streams.KafkaStreams;

/** The health of a Kafka Streams service: up while its state is RUNNING or REBALANCING. */
public final class StreamsHealth {
    private StreamsHealth() {
    }

    /** Up with {@code streams=<state>} while processing or rebalancing; down naming the state otherwise. */
    public static Health of(KafkaStreams.State state) {
        if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) {
            return Health.up().with("streams", state.name());
        }
        return Health.down("streams " + state.name());
    }
}
