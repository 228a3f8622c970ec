package dev.flywheel.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code flywheel --version}, read from the jar manifest. */
public final class FlywheelVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Flywheel.class.getPackage().getImplementationVersion();
        return new String[] {"flywheel " + (version == null ? "development build" : version)};
    }
}
