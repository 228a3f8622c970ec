/** Exactly-once bookkeeping: which consumed offsets the learner has absorbed, and each version's lineage. */
package dev.flywheel.learner.ledger;
