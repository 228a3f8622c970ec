/**
 * One batch of prompts: decoding and validating each prompt, sampling its n responses with the batch's policy
 * version, and building the {@code Rollout} records with deterministic ids and seeds.
 */
package dev.flywheel.generator.batching;
