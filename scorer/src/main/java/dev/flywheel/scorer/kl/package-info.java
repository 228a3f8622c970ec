/** Per-token KL estimators and the InstructGPT shaped reward, on plain Java arrays. */
package dev.flywheel.scorer.kl;
