package dev.flywheel.core.bootstrap;

/**
 * One tokenised training sequence: the loss falls on {@code response} only, given {@code prompt}.
 *
 * @param prompt   token ids starting with BOS
 * @param response token ids ending with EOS
 */
record TrainingExample(int[] prompt, int[] response) {
}
