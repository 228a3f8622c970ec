/**
 * Kafka Streams error handlers that put undecodable and invalid rollouts on the dead-letter topic inside the
 * application's transaction (KIP-1034), with the runtime's dead-letter headers.
 */
package dev.flywheel.scorer.deadletter;
