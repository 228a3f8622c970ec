package dev.flywheel.feedback.aggregate;

/**
 * A PAIRWISE pair that has votes but no quorum yet, stored (as text) until its vote window closes.
 *
 * @param promptId    the prompt both responses answer
 * @param first       the smaller rollout id
 * @param second      the larger rollout id
 * @param pairTimeMs  the later of the two rollouts' event times: the pair's time in the window stores
 * @param firstVoteMs wall-clock time of its first vote
 */
record OpenPair(String promptId, String first, String second, long pairTimeMs, long firstVoteMs) {

    String encode() {
        return String.join("\n", promptId, first, second, Long.toString(pairTimeMs), Long.toString(firstVoteMs));
    }

    static OpenPair decode(String text) {
        String[] f = text.split("\n", -1);
        return new OpenPair(f[0], f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]));
    }
}
