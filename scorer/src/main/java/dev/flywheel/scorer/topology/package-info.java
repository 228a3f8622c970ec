/** The scorer's Kafka Streams topology: validate, buffer into micro-batches, score, emit, and window statistics. */
package dev.flywheel.scorer.topology;
