package dev.flywheel.learner.session;

import dev.flywheel.learner.feed.ExampleFeed;
import dev.flywheel.learner.train.Trainer;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The algorithm-specific parts of a session: the trainer, a feed per input topic, and the batch hook.
 *
 * @param trainer the trainer
 * @param feeds   input topic name → feed
 * @param hook    applied to each batch before training
 */
record SessionParts<T>(Trainer<T> trainer, Map<String, ExampleFeed<T>> feeds, UnaryOperator<List<T>> hook) {
}
