package dev.flywheel.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks that a request carries the endpoint's token, as a bearer header or a {@code token} query parameter. */
final class BearerAuth {
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    BearerAuth(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    boolean admits(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && matches(header.substring(BEARER.length()).trim())) {
            return true;
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=") && matches(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    // Constant-time, so response timing does not reveal how much of a guess was right.
    private boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
