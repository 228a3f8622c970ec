/** Kafka Streams app: user feedback joined with rollouts into labels and preference pairs. Arrives with its own issue. */
package dev.flywheel.feedback;
