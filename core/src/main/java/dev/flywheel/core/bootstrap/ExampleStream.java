package dev.flywheel.core.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Endless batches over a fixed list of examples, epoch by epoch: every example once per epoch, in an order that a
 * seed fixes, so that each fact is seen equally often and two runs see the same batches.
 */
final class ExampleStream {

    private final List<TrainingExample> examples;
    private final SplittableRandom random;
    private final int[] order;
    private int next;

    ExampleStream(List<TrainingExample> examples, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = List.copyOf(examples);
        this.random = new SplittableRandom(seed);
        this.order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.next = order.length;
    }

    /** The next {@code size} examples, reshuffling when an epoch ends. */
    List<TrainingExample> nextBatch(int size) {
        List<TrainingExample> batch = new ArrayList<>(size);
        while (batch.size() < size) {
            if (next == order.length) {
                shuffle();
                next = 0;
            }
            batch.add(examples.get(order[next++]));
        }
        return batch;
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
