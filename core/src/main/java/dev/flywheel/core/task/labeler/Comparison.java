package dev.flywheel.core.task.labeler;

import dev.flywheel.core.task.Question;

/**
 * Two candidate responses to one question, before anyone has chosen.
 *
 * @param question the question
 * @param first    one response (response format, leading space)
 * @param second   the other response
 */
public record Comparison(Question question, String first, String second) {
}
