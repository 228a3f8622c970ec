package dev.flywheel.cli.records;

import dev.flywheel.runtime.topics.TopicSpec;
import dev.flywheel.runtime.topics.Topics;
import dev.flywheel.schemas.MessageType;
import dev.flywheel.schemas.Messages;
import java.util.Optional;

/** Which message a topic carries and which field keys it, from {@code --message}/{@code --key-field} or the catalogue. */
record TopicMessage(MessageType<?> message, Optional<String> keyField) {

    static TopicMessage resolve(String topic, String messageOption, String keyFieldOption) {
        Optional<TopicSpec> spec = Topics.recognise(topic);
        MessageType<?> message;
        if (messageOption != null) {
            message = Messages.byName(messageOption);
        } else {
            String name = spec.flatMap(TopicSpec::valueMessage).orElseThrow(() -> new IllegalArgumentException(
                    "topic '" + topic + "' is not one of Flywheel's message topics, so its message is unknown: "
                            + "name it with --message, one of " + Messages.names()));
            message = Messages.byName(name);
        }
        Optional<String> keyField = Optional.ofNullable(keyFieldOption).or(() -> spec.flatMap(TopicSpec::keyField));
        keyField.ifPresent(field -> {
            if (message.schema().getField(field) == null) {
                throw new IllegalArgumentException("--key-field '" + field + "' is not a field of " + message.name()
                        + ": use one of " + message.schema().getFields().stream().map(f -> f.name()).toList());
            }
        });
        return new TopicMessage(message, keyField);
    }
}
