/** A benchmark (not a test) of the scorer's throughput against generation on the same machine. */
package dev.flywheel.scorer.bench;
