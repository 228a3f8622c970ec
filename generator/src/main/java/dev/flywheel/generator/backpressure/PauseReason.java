package dev.flywheel.generator.backpressure;

/** Why prompt consumption is paused. */
public enum PauseReason {
    /** The newest good published version is more than {@code --max-staleness} ahead of the one loaded. */
    STALENESS("staleness"),
    /** The downstream group's lag passed {@code --max-downstream-lag} and has not yet fallen below half of it. */
    DOWNSTREAM_LAG("downstream-lag");

    private final String tag;

    PauseReason(String tag) {
        this.tag = tag;
    }

    /** The {@code reason} tag of the paused gauge. */
    public String tag() {
        return tag;
    }
}
