package dev.flywheel.generator.backpressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.generator.metrics.GeneratorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GeneratorMetrics metrics = new GeneratorMetrics(registry, "t");
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final PauseEvents recording = new PauseEvents() {
        @Override
        public void paused(PauseReason reason, String detail) {
            events.add("paused " + reason + ": " + detail);
        }

        @Override
        public void resumed(PauseReason reason) {
            events.add("resumed " + reason);
        }
    };

    @Test
    void holdsTheBatchWhileTooStaleAndReleasesItOnceTheSwapHappened() {
        AtomicLong staleness = new AtomicLong(3);
        AtomicInteger steps = new AtomicInteger();
        List<Boolean> partitionsPaused = new CopyOnWriteArrayList<>();
        // The third step between batches swaps the pending version in, as PolicySwapper.swapIfPending would.
        Runnable swapOnThirdStep = () -> {
            if (steps.incrementAndGet() == 3) {
                staleness.set(0);
            }
        };
        Admission admission = new Admission(swapOnThirdStep, staleness::get, 2, null, 0, metrics, recording);
        admission.controlPartitionsWith(partitionsPaused::add);

        admission.awaitOpen(() -> false);

        assertThat(steps.get()).isEqualTo(3);
        assertThat(events).containsExactly(
                "paused STALENESS: newest good version is 3 ahead of the loaded one (max 2)", "resumed STALENESS");
        assertThat(partitionsPaused).as("initial state, pause, resume").containsExactly(false, true, false);
        assertThat(registry.get(GeneratorMetrics.PAUSED).tag("reason", "staleness").gauge().value()).isZero();
        assertThat(admission.holding()).isEmpty();
    }

    @Test
    void stalenessAtTheBoundDoesNotHold() {
        Admission admission = new Admission(() -> { }, () -> 2, 2, null, 0, metrics, recording);
        admission.awaitOpen(() -> false);
        assertThat(events).isEmpty();
    }

    @Test
    void closingWhilePausedEndsTheWaitAndLeavesThePausedGaugeOn() {
        AtomicInteger checks = new AtomicInteger();
        Admission admission = new Admission(() -> { }, () -> 9, 1, null, 0, metrics, recording);
        assertThatThrownBy(() -> admission.awaitOpen(() -> checks.incrementAndGet() > 2))
                .isInstanceOf(CancellationException.class).hasMessageContaining("STALENESS");
        assertThat(registry.get(GeneratorMetrics.PAUSED).tag("reason", "staleness").gauge().value()).isEqualTo(1.0);
        assertThat(admission.holding()).containsExactly(PauseReason.STALENESS);
    }
}
