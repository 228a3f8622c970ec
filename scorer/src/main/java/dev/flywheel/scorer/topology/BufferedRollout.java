package dev.flywheel.scorer.topology;

import dev.flywheel.schemas.Rollout;
import dev.flywheel.schemas.serde.AvroSerde;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A rollout waiting in the batch buffer, with the key it arrived under (so its scored record keeps that key).
 *
 * @param key     the input record's key, may be null
 * @param rollout the validated rollout
 */
record BufferedRollout(String key, Rollout rollout) {

    BufferedRollout {
        Objects.requireNonNull(rollout, "rollout");
    }

    /** Changelog form: key length (−1 for null), key UTF-8, then the rollout in Avro single-object encoding. */
    static Serde<BufferedRollout> serde() {
        AvroSerde<Rollout> rollouts = AvroSerdes.rollout();
        Serializer<Rollout> out = rollouts.serializer();
        Deserializer<Rollout> in = rollouts.deserializer();
        Serializer<BufferedRollout> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            byte[] key = value.key() == null ? new byte[0] : value.key().getBytes(StandardCharsets.UTF_8);
            byte[] body = out.serialize(topic, value.rollout());
            return ByteBuffer.allocate(4 + key.length + body.length).putInt(value.key() == null ? -1 : key.length)
                    .put(key).put(body).array();
        };
        Deserializer<BufferedRollout> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int keyLength = buffer.getInt();
            String key = null;
            if (keyLength >= 0) {
                key = new String(bytes, 4, keyLength, StandardCharsets.UTF_8);
            }
            int bodyStart = 4 + Math.max(keyLength, 0);
            byte[] body = new byte[bytes.length - bodyStart];
            System.arraycopy(bytes, bodyStart, body, 0, body.length);
            return new BufferedRollout(key, in.deserialize(topic, body));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
