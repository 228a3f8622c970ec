package dev.flywheel.monitor.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent {@code capacity} items in arrival order, the oldest overwritten first: a ring buffer that keeps the
 * dashboard's memory bounded however long the monitor runs. Not thread-safe; {@link DashboardState} guards it.
 */
final class BoundedHistory<T> {

    private final Object[] items;
    private int next;
    private int size;

    BoundedHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a history holds at least one item, asked for " + capacity);
        }
        this.items = new Object[capacity];
    }

    void add(T item) {
        items[next] = item;
        next = (next + 1) % items.length;
        size = Math.min(size + 1, items.length);
    }

    int size() {
        return size;
    }

    int capacity() {
        return items.length;
    }

    /** The newest item, or null when empty. */
    @SuppressWarnings("unchecked")
    T newest() {
        return size == 0 ? null : (T) items[(next - 1 + items.length) % items.length];
    }

    /** The items, oldest first. */
    @SuppressWarnings("unchecked")
    List<T> toList() {
        List<T> out = new ArrayList<>(size);
        int start = (next - size + items.length) % items.length;
        for (int i = 0; i < size; i++) {
            out.add((T) items[(start + i) % items.length]);
        }
        return out;
    }
}
