package io.chatvault.capture;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

import javax.sql.DataSource;

import tools.jackson.databind.json.JsonMapper;

import io.chatvault.crypto.DataKeys;
import io.chatvault.message.Sha256;
import io.chatvault.sync.InboxPlatform;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Fills the capture inbox ({@code capture_inbox}, V50) for benchmarks with WhatsApp
 * deliveries exactly as {@code chatvault serve} stores them - dedupe key the body's
 * SHA-256, routing keys from the body, the body sealed by {@link InboxBodies} under the
 * data key of the day, listed as waiting - but by COPY in batches rather than one
 * committed statement per delivery, so that a million of them go in within seconds.
 */
public final class CapturedDeliveries implements AutoCloseable {

	private static final HexFormat HEX = HexFormat.of();

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSX")
		.withZone(ZoneOffset.UTC);

	private final InboxBodies bodies;

	private final Connection connection;

	private final JsonMapper json = JsonMapper.builder().build();

	private final StringBuilder batch = new StringBuilder(1 << 20);

	private int rows;

	/**
	 * A filler on its own connection (auto-commit: each batch is one COPY).
	 * @param keys the data keys {@code serve} seals with
	 * @param clock the clock whose day names the sealing key
	 * @param dataSource the database
	 * @throws SQLException if no connection can be had
	 */
	public CapturedDeliveries(DataKeys keys, Clock clock, DataSource dataSource) throws SQLException {
		this.bodies = new InboxBodies(keys, clock);
		this.connection = dataSource.getConnection();
		this.connection.setAutoCommit(true);
	}

	/**
	 * Adds a WhatsApp delivery as the webhook endpoint would store it.
	 * @param app the Meta app the delivery came for
	 * @param body the raw body
	 * @param receivedAt when it was captured
	 */
	public void whatsapp(String app, byte[] body, Instant receivedAt) {
		String dedupeKey = "sha256:" + Sha256.hex(body);
		List<String> routing = RoutingKeys.whatsapp(this.json.readTree(body));
		byte[] sealed = this.bodies.seal(InboxPlatform.WHATSAPP, app, dedupeKey, body);
		// COPY text format: tab-separated, \N for NULL, bytea as \\x<hex>.
		this.batch.append(InboxPlatform.WHATSAPP.name())
			.append('\t')
			.append(app)
			.append('\t')
			.append(dedupeKey)
			.append("\t{")
			.append(String.join(",", routing))
			.append("}\t")
			.append(TIMESTAMP.format(receivedAt))
			.append("\t127.0.0.1\t")
			.append(body.length)
			.append("\t\\\\x")
			.append(HEX.formatHex(sealed))
			.append("\t\\N\n");
		if (++this.rows == 10_000) {
			flush();
		}
	}

	/** Stores what was added since the last flush. */
	public void flush() {
		if (this.rows == 0) {
			return;
		}
		try {
			CopyIn copy = this.connection.unwrap(PGConnection.class)
				.getCopyAPI()
				.copyIn("COPY capture_inbox (platform, app, dedupe_key, routing, received_at, peer, body_size, body, "
						+ "resources) FROM STDIN");
			byte[] bytes = this.batch.toString().getBytes(StandardCharsets.UTF_8);
			copy.writeToCopy(bytes, 0, bytes.length);
			copy.endCopy();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot COPY into capture_inbox: " + ex.getMessage(), ex);
		}
		this.batch.setLength(0);
		this.rows = 0;
	}

	/** Stores what is left and lists every delivery stored as waiting, as serve does. */
	@Override
	public void close() {
		flush();
		try (var statement = this.connection.createStatement()) {
			statement.executeUpdate("""
					INSERT INTO capture_inbox_waiting (id, received_at, routing)
					SELECT id, received_at, routing FROM capture_inbox i
					WHERE NOT EXISTS (SELECT 1 FROM capture_inbox_drained d WHERE d.id = i.id)
					ON CONFLICT (id) DO NOTHING
					""");
			this.connection.close();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
