/**
 * Policy hot-swap: follow the policy-version topic from its beginning, load each newer version off the sampling
 * thread after verifying its sha256, and hand it over between batches.
 */
package dev.flywheel.generator.swap;
