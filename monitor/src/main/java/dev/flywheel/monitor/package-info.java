/** Consumer lag, reward and KL drift alarms, Prometheus endpoint and live dashboard. Arrives with its own issue. */
package dev.flywheel.monitor;
