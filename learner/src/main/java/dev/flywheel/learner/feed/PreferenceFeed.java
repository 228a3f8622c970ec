package dev.flywheel.learner.feed;

import dev.flywheel.learner.experience.ExperienceDecoder;
import dev.flywheel.learner.experience.PreferenceExample;
import dev.flywheel.learner.ledger.RecordPosition;
import dev.flywheel.schemas.PreferencePair;
import dev.flywheel.schemas.serde.AvroSerdes;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;

/** Preference pairs for DPO, IPO and the reward model; the reward model keeps only pairs people made. */
public final class PreferenceFeed implements ExampleFeed<PreferenceExample> {

    private final Deserializer<PreferencePair> values = AvroSerdes.preferencePair().deserializer();
    private final ExperienceDecoder decoder;
    private final boolean humanOnly;

    /** A feed; with {@code humanOnly}, RM-made pairs are dropped (a reward model cannot learn from itself). */
    public PreferenceFeed(ExperienceDecoder decoder, boolean humanOnly) {
        this.decoder = decoder;
        this.humanOnly = humanOnly;
    }

    @Override
    public void accept(RecordPosition position, byte[] value, ExampleSink<PreferenceExample> sink) {
        PreferenceExample pair = decoder.preference(position, values.deserialize(position.topic(), value));
        if (humanOnly && !pair.human()) {
            sink.dropped(List.of(position), "model_pair");
            return;
        }
        sink.ready(pair, List.of(position));
    }
}
