package dev.flywheel.core.model;

import ai.djl.ndarray.NDArray;

/**
 * What one forward pass over a padded batch produced (arrays live in the caller's scope manager).
 *
 * @param logits next-token logits (B, L, V)
 * @param values value-head outputs (B, L), or {@code null} when the model has no value head
 */
public record ModelOutput(NDArray logits, NDArray values) {
}
