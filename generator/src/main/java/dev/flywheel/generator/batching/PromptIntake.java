package dev.flywheel.generator.batching;

import dev.flywheel.core.model.Policy;
import dev.flywheel.schemas.Prompt;
import dev.flywheel.schemas.serde.AvroSerdes;
import dev.flywheel.schemas.serde.UndecodableRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** Turns a prompt record into model input, or says why it cannot be one (for the dead-letter topic). */
public final class PromptIntake {

    /** The outcome for one record. */
    public sealed interface Outcome permits Accepted, Refused {
    }

    /** A prompt and its token ids (BOS first). */
    public record Accepted(Prompt prompt, int[] tokenIds) implements Outcome {
    }

    /** A record to dead-letter, with the exception that goes into its headers and a short reason tag. */
    public record Refused(Throwable cause, String reason) implements Outcome {
    }

    private final Deserializer<Prompt> prompts = AvroSerdes.prompt().deserializer();

    /** Decodes and checks {@code record} against {@code policy}'s tokenizer and context. */
    public Outcome admit(ConsumerRecord<byte[], byte[]> record, Policy policy) {
        Prompt prompt;
        try {
            prompt = prompts.deserialize(record.topic(), record.value());
        } catch (UndecodableRecordException e) {
            return new Refused(e.at(record.topic(), record.partition(), record.offset()), "undecodable");
        }
        if (prompt == null) {
            return new Refused(new InvalidPromptException("empty", "record at " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + " has no value: send a Prompt"), "empty");
        }
        if (prompt.getText().isBlank()) {
            return new Refused(new InvalidPromptException("empty", "prompt " + prompt.getId()
                    + " has empty text: send a Prompt whose 'text' is the question to answer"), "empty");
        }
        int[] ids = policy.tokenizer().encodePrompt(prompt.getText());
        if (ids.length >= policy.context()) {
            return new Refused(new InvalidPromptException("too-long", "prompt " + prompt.getId() + " is "
                    + ids.length + " tokens with BOS, but the policy's context is " + policy.context()
                    + " tokens and must leave room for a response: shorten it to at most " + (policy.context() - 2)
                    + " characters"), "too-long");
        }
        return new Accepted(prompt, ids);
    }
}
