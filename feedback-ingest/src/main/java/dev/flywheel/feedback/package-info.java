/**
 * Feedback ingest: a Kafka Streams app that joins user feedback ({@code fw.feedback}) with the rollouts it is about
 * ({@code fw.rollouts}) and turns it into preference pairs ({@code fw.preferences}) and human reward labels
 * ({@code fw.scored-rollouts}); plus the simulated users that drive it ({@code simulate}).
 */
package dev.flywheel.feedback;
