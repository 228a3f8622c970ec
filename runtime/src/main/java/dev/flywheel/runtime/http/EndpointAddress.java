package dev.flywheel.runtime.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a service's HTTP endpoint listens; non-loopback hosts require a token.
 *
 * <p>Metrics and the dashboard reveal what the system is learning from, so anything reachable from another machine
 * must be asked for with the token ({@code Authorization: Bearer <token>} or {@code ?token=<token>}).
 *
 * @param host      the interface to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port      the port; 0 picks a free one
 * @param authToken the token every request must carry, or empty for none (loopback only)
 */
public record EndpointAddress(String host, int port, Optional<String> authToken) {

    /** The loopback address. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Validates the address and refuses an open endpoint off loopback. */
    public EndpointAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(authToken, "authToken");
        if (host.isBlank()) {
            throw new IllegalArgumentException("the endpoint host is empty: pass an interface address such as "
                    + LOOPBACK + " or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range: use 1-65535, or 0 for any free port");
        }
        if (authToken.isPresent() && authToken.get().isBlank()) {
            throw new IllegalArgumentException("--auth-token is blank: pass a non-empty secret, or leave it out on "
                    + LOOPBACK);
        }
        if (authToken.isEmpty() && !isLoopback(host)) {
            throw new IllegalArgumentException("binding to " + host + " requires --auth-token: other machines could "
                    + "read this endpoint; pass --auth-token <secret> or bind to " + LOOPBACK);
        }
    }

    /** {@code 127.0.0.1:port} without a token; port 0 picks a free port. */
    public static EndpointAddress loopback(int port) {
        return new EndpointAddress(LOOPBACK, port, Optional.empty());
    }

    /** This address, every request to which must carry {@code token}. */
    public EndpointAddress withAuthToken(String token) {
        return new EndpointAddress(host, port, Optional.of(token));
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host '" + host + "': pass an interface address such as "
                    + LOOPBACK + " or 0.0.0.0", e);
        }
    }
}
