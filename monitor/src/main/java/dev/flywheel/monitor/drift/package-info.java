/**
 * Reward, KL and response-length drift alarms on fw.metrics: Page–Hinkley change points per policy version, PSI
 * against the start of the stream, and a composite reward-hacking alarm, published back as ALARM points.
 */
package dev.flywheel.monitor.drift;
