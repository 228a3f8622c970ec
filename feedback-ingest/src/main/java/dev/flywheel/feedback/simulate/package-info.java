/**
 * Simulated users of the default task: prompts at a rate, and for the responses that come back, feedback from a
 * crowd of simulated raters with configurable noise, disagreement and delay (late feedback included).
 */
package dev.flywheel.feedback.simulate;
