package dev.flywheel.monitor.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The JSON form of a {@link DashboardSnapshot}, as {@code /api/state} serves it (times in epoch milliseconds). */
public final class StateJson {

    private final ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    /** The snapshot as UTF-8 JSON bytes. */
    public byte[] write(DashboardSnapshot snapshot) {
        try {
            return mapper.writeValueAsBytes(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dashboard state as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
