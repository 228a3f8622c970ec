package dev.flywheel.learner.ppo;

import dev.flywheel.learner.experience.Experience;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RootBaseline#GROUP}: replaces the critic's values at the states a prompt's samples share (the prompt and
 * the response prefix common to every sample of the group in the batch) by the leave-one-out mean of the other
 * samples' returns from that state. Leaving the sample itself out keeps the baseline independent of its own return,
 * so the advantage stays unbiased. Beyond the shared prefix the critic's values are kept.
 */
final class GroupRootValues {

    private GroupRootValues() {
    }

    /**
     * Values for GAE: a copy of {@code values} with the shared-prefix states of every group of two or more samples
     * replaced.
     *
     * @param rewards per-token shaped rewards (the response's reward on its last token)
     * @param values  per-token critic values V(s_t), s_t being the prompt and the response's first t tokens
     */
    static float[][] of(List<Experience> batch, float[][] rewards, float[][] values) {
        float[][] out = new float[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].clone();
        }
        for (List<Integer> members : groups(batch).values()) {
            if (members.size() >= 2) {
                replaceSharedStates(batch, members, rewards, out);
            }
        }
        return out;
    }

    /** The share of the batch's samples that have a sibling in it, and so a group baseline at their root. */
    static double rootedShare(List<Experience> batch) {
        long rooted = groups(batch).values().stream().filter(members -> members.size() >= 2)
                .mapToLong(List::size).sum();
        return batch.isEmpty() ? 0 : (double) rooted / batch.size();
    }

    private static void replaceSharedStates(List<Experience> batch, List<Integer> members, float[][] rewards,
                                            float[][] out) {
        int shared = sharedPrefix(batch, members);
        int n = members.size();
        for (int t = 0; t <= shared; t++) {
            double[] toGo = new double[n];
            double total = 0;
            for (int k = 0; k < n; k++) {
                float[] r = rewards[members.get(k)];
                for (int u = t; u < r.length; u++) {
                    toGo[k] += r[u];
                }
                total += toGo[k];
            }
            for (int k = 0; k < n; k++) {
                out[members.get(k)][t] = (float) ((total - toGo[k]) / (n - 1));
            }
        }
    }

    /** The last state index shared by every member: the length of their common response prefix, kept in range. */
    private static int sharedPrefix(List<Experience> batch, List<Integer> members) {
        int[] first = batch.get(members.get(0)).response();
        int common = first.length;
        for (int k = 1; k < members.size(); k++) {
            int[] other = batch.get(members.get(k)).response();
            int t = 0;
            while (t < Math.min(common, other.length) && other[t] == first[t]) {
                t++;
            }
            common = t;
        }
        // State s_t exists (has a value) only while t < the response's length.
        int shortest = Integer.MAX_VALUE;
        for (int member : members) {
            shortest = Math.min(shortest, batch.get(member).length());
        }
        return Math.min(common, shortest - 1);
    }

    private static Map<String, List<Integer>> groups(List<Experience> batch) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).groupId(), k -> new ArrayList<>()).add(i);
        }
        return groups;
    }
}
