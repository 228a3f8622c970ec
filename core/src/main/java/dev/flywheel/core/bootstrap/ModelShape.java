package dev.flywheel.core.bootstrap;

/**
 * Size of the transformer the bootstrap trains (the vocabulary comes from the task's tokenizer).
 *
 * @param dModel  residual width
 * @param heads   attention heads
 * @param layers  decoder blocks
 * @param context longest sequence, BOS and EOS included
 */
public record ModelShape(int dModel, int heads, int layers, int context) {

    /** The default model: d=128, 4 heads, 2 layers, context 64. */
    public static final ModelShape DEFAULT = new ModelShape(128, 4, 2, 64);

    /** The quick run's model: d=32, 2 heads, 1 layer, context 64. */
    public static final ModelShape TINY = new ModelShape(32, 2, 1, 64);
}
