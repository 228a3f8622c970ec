/** The {@code --metrics-port}/{@code --metrics-host}/{@code --auth-token} options every service command shares. */
package dev.flywheel.cli.metrics;
