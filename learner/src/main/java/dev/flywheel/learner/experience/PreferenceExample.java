package dev.flywheel.learner.experience;

import dev.flywheel.learner.ledger.RecordPosition;

/**
 * One (prompt, chosen, rejected) comparison as DPO, IPO and the reward model train on it.
 *
 * @param source   where the pair was read
 * @param id       the pair's id
 * @param prompt   prompt token ids (BOS first)
 * @param chosen   token ids of the preferred response
 * @param rejected token ids of the other response
 * @param human    whether people (rather than the reward model) preferred it
 */
public record PreferenceExample(RecordPosition source, String id, int[] prompt, int[] chosen, int[] rejected,
                                boolean human) {
}
