package dev.flywheel.core.bootstrap;

/**
 * A policy's verdict rates on the in-knowledge and out-of-knowledge evaluation sets under one decoding.
 *
 * @param decoding       {@code "greedy"} or {@code "sampled T=1"}
 * @param inKnowledge    rates on questions the model can know
 * @param outOfKnowledge rates on held-out names nothing was trained on
 */
public record PolicyEvaluation(String decoding, VerdictRates inKnowledge, VerdictRates outOfKnowledge) {
}
