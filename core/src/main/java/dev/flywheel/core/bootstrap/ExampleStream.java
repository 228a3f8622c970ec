package dev.flywheel.core.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Endless batches, epoch by epoch: each epoch's examples (drawn afresh, or the same list every time) are all used
 * once, in an order that a seed fixes, so that each fact is seen equally often and two runs see the same batches.
 */
final class ExampleStream {

    private final Function<SplittableRandom, List<TrainingExample>> epochs;
    private final SplittableRandom random;
    private List<TrainingExample> examples = List.of();
    private int[] order = new int[0];
    private int next;

    /** Batches over epochs that {@code epochs} draws from the stream's random source. */
    ExampleStream(Function<SplittableRandom, List<TrainingExample>> epochs, long seed) {
        this.epochs = epochs;
        this.random = new SplittableRandom(seed);
    }

    /** Batches over the same examples every epoch. */
    ExampleStream(List<TrainingExample> examples, long seed) {
        this(random -> examples, seed);
    }

    /** The next {@code size} examples, reshuffling when an epoch ends. */
    List<TrainingExample> nextBatch(int size) {
        List<TrainingExample> batch = new ArrayList<>(size);
        while (batch.size() < size) {
            if (next == order.length) {
                startEpoch();
            }
            batch.add(examples.get(order[next++]));
        }
        return batch;
    }

    private void startEpoch() {
        examples = List.copyOf(epochs.apply(random));
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        next = 0;
        shuffle();
    }

    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
