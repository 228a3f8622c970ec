package dev.flywheel.generator.batching;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic names and seeds of a prompt's samples, so that a prompt re-processed after a crash (or replayed
 * for an experiment) gets the same rollout ids and, with the same version, the same responses.
 */
public final class SampleSeeds {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private SampleSeeds() {
    }

    /** The seed of a prompt's group of samples: the base seed mixed with a hash of the prompt id. */
    public static long forPrompt(long baseSeed, String promptId) {
        long hash = FNV_OFFSET;
        for (byte b : promptId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return mix(hash ^ mix(baseSeed));
    }

    /** Id of the group of samples of {@code promptId} drawn with {@code version}. */
    public static String groupId(String promptId, long version) {
        return promptId + "/v" + version;
    }

    /** Id of sample {@code index} of that group. */
    public static String rolloutId(String promptId, long version, int index) {
        return groupId(promptId, version) + "/" + index;
    }

    /** SplitMix64's finaliser: spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
