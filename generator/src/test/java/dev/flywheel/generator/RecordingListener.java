package dev.flywheel.generator;

import dev.flywheel.generator.backpressure.PauseReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event a generator reports, in order. */
final class RecordingListener implements GeneratorListener {
    /** One event: a committed batch, a swap, a rejection, a pause or a resume. */
    record Event(String kind, long version, BatchReport batch, PauseReason reason, String detail) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void batchCommitted(BatchReport report) {
        events.add(new Event("batch", report.policyVersion(), report, null, null));
    }

    @Override
    public void swapped(long from, long to, Duration latency) {
        events.add(new Event("swap", to, null, null, from + "->" + to + " in " + latency.toMillis() + " ms"));
    }

    @Override
    public void versionRejected(long version, String reason, String message) {
        events.add(new Event("rejected", version, null, null, reason + ": " + message));
    }

    @Override
    public void paused(PauseReason reason, String detail) {
        events.add(new Event("paused", -1, null, reason, detail));
    }

    @Override
    public void resumed(PauseReason reason) {
        events.add(new Event("resumed", -1, null, reason, null));
    }

    List<BatchReport> batches() {
        return events.stream().filter(e -> e.kind().equals("batch")).map(Event::batch).toList();
    }

    List<Event> ofKind(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    int committedPrompts() {
        return batches().stream().mapToInt(BatchReport::prompts).sum();
    }
}
