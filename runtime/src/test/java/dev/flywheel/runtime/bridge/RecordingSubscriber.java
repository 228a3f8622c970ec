package dev.flywheel.runtime.bridge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/** Records everything a receiver delivers, optionally acknowledging each record as it arrives. */
final class RecordingSubscriber<K, V> extends BaseSubscriber<ReceivedRecord<K, V>> {
    private final List<ReceivedRecord<K, V>> received = new CopyOnWriteArrayList<>();
    private final Consumer<ReceivedRecord<K, V>> onEach;
    private volatile Throwable error;

    private RecordingSubscriber(Consumer<ReceivedRecord<K, V>> onEach) {
        this.onEach = onEach;
    }

    /** Keeps records unacknowledged, for the test to acknowledge. */
    static <K, V> RecordingSubscriber<K, V> holding() {
        return new RecordingSubscriber<>(record -> { });
    }

    /** Acknowledges each record right after recording it. */
    static <K, V> RecordingSubscriber<K, V> acknowledging() {
        return new RecordingSubscriber<>(ReceivedRecord::acknowledge);
    }

    /** Runs {@code onEach} (which may acknowledge, sleep, ...) after recording each record. */
    static <K, V> RecordingSubscriber<K, V> then(Consumer<ReceivedRecord<K, V>> onEach) {
        return new RecordingSubscriber<>(onEach);
    }

    List<ReceivedRecord<K, V>> received() {
        return received;
    }

    Throwable error() {
        return error;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        requestUnbounded();
    }

    @Override
    protected void hookOnNext(ReceivedRecord<K, V> record) {
        received.add(record);
        onEach.accept(record);
    }

    @Override
    protected void hookOnError(Throwable throwable) {
        error = throwable;
    }
}
