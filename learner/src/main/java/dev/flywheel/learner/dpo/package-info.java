/** Online DPO and IPO: training the policy directly on preference pairs against the frozen reference. */
package dev.flywheel.learner.dpo;
