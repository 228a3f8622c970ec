package dev.flywheel.learner.session;

import dev.flywheel.learner.ledger.RecordPosition;
import java.util.List;

/** An example waiting for its batch, with the records it was made from. */
record PendingExample<T>(T example, List<RecordPosition> positions) {
}
