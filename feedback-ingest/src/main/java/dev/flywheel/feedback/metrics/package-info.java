/** Micrometer meters of feedback-ingest ({@code flywheel.feedback.*}) and its rater-disagreement MetricPoints. */
package dev.flywheel.feedback.metrics;
