package io.chatvault.capture;

import java.sql.Timestamp;
import java.time.Clock;

import io.chatvault.sync.InboxPlatform;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Records refused deliveries: a security event in the log ({@code io.chatvault.capture.
 * security}, WARN) with the reason, platform, app and peer; a counter
 * ({@code chatvault_capture_refused_total{platform,reason}}); and a row in
 * {@code capture_refusal} for {@code chatvault status} and the compliance report. Nothing
 * of the body. A database that is down loses the row, never the log line or the count.
 */
class Refusals {

	private static final Log security = LogFactory.getLog("io.chatvault.capture.security");

	private final JdbcTemplate jdbc;

	private final MeterRegistry meters;

	private final Clock clock;

	Refusals(JdbcTemplate jdbc, MeterRegistry meters, Clock clock) {
		this.jdbc = jdbc;
		this.meters = meters;
		this.clock = clock;
	}

	void refused(InboxPlatform platform, String app, Refusal refusal, String peer) {
		security.warn(
				"security event: refused " + platform.name().toLowerCase(java.util.Locale.ROOT) + " delivery for app '"
						+ app + "' from " + peer + ": " + refusal.reason() + " (" + refusal.status().value() + ")");
		Counter.builder("chatvault.capture.refused")
			.description("Webhook deliveries refused at the door")
			.tag("platform", platform.name().toLowerCase(java.util.Locale.ROOT))
			.tag("reason", refusal.reason())
			.register(this.meters)
			.increment();
		try {
			this.jdbc.update(
					"INSERT INTO capture_refusal (platform, app, reason, peer, refused_at) VALUES (?, ?, ?, ?, ?)",
					platform.name(), truncate(app, 100), refusal.reason(), truncate(peer, 64),
					Timestamp.from(this.clock.instant()));
		}
		catch (DataAccessException ex) {
			security.warn("refusal not recorded in capture_refusal (database unavailable): " + ex.getMessage());
		}
	}

	private static String truncate(String value, int length) {
		return (value == null || value.length() <= length) ? value : value.substring(0, length);
	}

}
