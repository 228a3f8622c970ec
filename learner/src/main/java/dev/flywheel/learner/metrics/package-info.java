/** The learner's Micrometer meters and the statistics it writes to the metrics topic. */
package dev.flywheel.learner.metrics;
