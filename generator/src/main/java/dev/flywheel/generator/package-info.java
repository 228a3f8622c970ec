/**
 * The generator service: turns {@code fw.prompts} into {@code fw.rollouts} with the current policy, exactly once,
 * hot-swapping policy versions between batches. Start it with {@link dev.flywheel.generator.Generator#start}.
 */
package dev.flywheel.generator;
