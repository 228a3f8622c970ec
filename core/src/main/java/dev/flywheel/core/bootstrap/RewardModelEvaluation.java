package dev.flywheel.core.bootstrap;

/**
 * How well the reward model orders held-out comparisons, measured against the exact judge (RIGHT &gt; REFUSE &gt;
 * WRONG), not against noisy rater labels.
 *
 * @param accuracy               fraction of held-out pairs whose better response scores strictly higher
 * @param inKnowledgeAccuracy    the same on in-knowledge questions
 * @param outOfKnowledgeAccuracy the same on held-out names (guess against refusal)
 * @param comparisons            decisive held-out pairs measured
 * @param trainingLabelAccuracy  fraction of the rater labels it was trained on that agree with the judge
 */
public record RewardModelEvaluation(double accuracy, double inKnowledgeAccuracy, double outOfKnowledgeAccuracy,
                                   int comparisons, double trainingLabelAccuracy) {
}
