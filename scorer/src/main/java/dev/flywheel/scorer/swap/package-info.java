/**
 * Hot-swapping the reward model and the reference: follow fw.policy-versions from its beginning, load each newer
 * version off the stream thread after verifying its sha256, and hand it over between micro-batches; adopt the KL
 * coefficient β of the newest policy version.
 */
package dev.flywheel.scorer.swap;
