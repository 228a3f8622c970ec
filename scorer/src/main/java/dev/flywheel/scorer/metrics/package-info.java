/** The scorer's Micrometer meters ({@code flywheel.scorer.*}). */
package dev.flywheel.scorer.metrics;
