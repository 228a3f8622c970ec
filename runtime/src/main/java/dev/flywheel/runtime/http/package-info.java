/**
 * Every service's HTTP endpoint: Prometheus {@code /metrics}, {@code /health} and extra routes on the JDK's
 * {@code HttpServer}, with bearer-token auth required off loopback ({@link dev.flywheel.runtime.http.ServiceEndpoint}),
 * and the per-service registry those metrics come from ({@link dev.flywheel.runtime.http.ServiceMetrics}).
 */
package dev.flywheel.runtime.http;
