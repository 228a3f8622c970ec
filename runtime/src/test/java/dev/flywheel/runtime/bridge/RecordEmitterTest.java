package dev.flywheel.runtime.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The emitter's ordering between records and a failure, driven step by step: the consumer thread's races with the
 * emit thread (the consumer closing, and so revoking, right after it failed) are laid out in the order that used to
 * lose records, instead of being left to timing.
 */
class RecordEmitterTest {
    private static final long EPOCH = 1;

    @Test
    void failureFollowsEveryRecordPolledBeforeItEvenWhenTheConsumerClosedFirst() {
        AtomicReference<RecordEmitter<String, String>> emitter = new AtomicReference<>();
        Flux<ReceivedRecord<String, String>> flux = Flux.create(sink -> emitter.set(start(sink)));

        StepVerifier.create(flux.map(ReceivedRecord::value), 0)
                .then(() -> {
                    RecordEmitter<String, String> polled = emitter.get();
                    polled.offer(records(0, 6));
                    polled.error(new SerializationException("cannot decode offset 6"));
                    // What the consumer thread does next: close (revoking the partition), then exit.
                    polled.epochEnded(EPOCH);
                    polled.consumerExited();
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNext("v-0", "v-1", "v-2", "v-3", "v-4", "v-5")
                .expectErrorMessage("cannot decode offset 6")
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void recordsOfARevokedPartitionAreDroppedAndTheErrorStillArrives() {
        AtomicReference<RecordEmitter<String, String>> emitter = new AtomicReference<>();
        Flux<ReceivedRecord<String, String>> flux = Flux.create(sink -> emitter.set(start(sink)));

        StepVerifier.create(flux.map(ReceivedRecord::value), 0)
                .then(() -> {
                    RecordEmitter<String, String> polled = emitter.get();
                    polled.offer(records(0, 3));
                    polled.epochEnded(EPOCH);
                    polled.error(new SerializationException("cannot decode offset 3"));
                })
                .expectErrorMessage("cannot decode offset 3")
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aCleanExitStopsEmittingAtOnce() {
        AtomicReference<RecordEmitter<String, String>> emitter = new AtomicReference<>();
        Flux<ReceivedRecord<String, String>> flux = Flux.create(sink -> emitter.set(start(sink)));

        StepVerifier.create(flux.map(ReceivedRecord::value), 0)
                .then(() -> {
                    RecordEmitter<String, String> polled = emitter.get();
                    polled.offer(records(0, 3));
                    polled.consumerExited();
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNoEvent(Duration.ofMillis(200))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void requestsAndOffersAfterAStopAreIgnoredWithoutAnError() {
        List<String> emitted = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<RecordEmitter<String, String>> emitter = new AtomicReference<>();
        Flux.<ReceivedRecord<String, String>>create(sink -> emitter.set(start(sink)))
                .subscribe(r -> emitted.add(r.value()), error::set, () -> { }, subscription -> { });
        RecordEmitter<String, String> stopped = emitter.get();

        stopped.consumerExited();
        // Downstream asking for records after the consumer exited is ordinary; it must not be thrown an exception.
        assertThatCode(() -> stopped.request(5)).doesNotThrowAnyException();
        assertThatCode(() -> stopped.offer(records(0, 3))).doesNotThrowAnyException();

        assertThat(emitted).isEmpty();
        assertThat(error.get()).isNull();
    }

    private static RecordEmitter<String, String> start(FluxSink<ReceivedRecord<String, String>> sink) {
        RecordEmitter<String, String> emitter = new RecordEmitter<>(sink, Schedulers.newSingle("emit-test", true));
        emitter.epochStarted(EPOCH);
        sink.onRequest(emitter::request);
        sink.onDispose(emitter::cancel);
        return emitter;
    }

    private static List<ReceivedRecord<String, String>> records(int from, int to) {
        return LongStream.range(from, to)
                .mapToObj(offset -> new ReceivedRecord<>(new ConsumerRecord<>("t", 0, offset, "k", "v-" + offset),
                        EPOCH, (partition, epoch, acknowledged) -> { }))
                .toList();
    }
}
