package io.chatvault.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.chatvault.sync.InboxPlatform;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;

/**
 * What every webhook endpoint does at the door and behind it: the app looked up, the
 * content type and size checked, the body read exactly as sent (bounded), and an accepted
 * delivery stored and committed before the answer. A refusal is recorded
 * ({@link Refusals}) and answered with its status; a database that cannot commit is
 * answered 503, so that the platform delivers again.
 */
class CaptureDoor {

	private static final Log logger = LogFactory.getLog(CaptureDoor.class);

	private static final Pattern JSON = Pattern.compile("\\s*application/json\\s*(;.*)?", Pattern.CASE_INSENSITIVE);

	private final CaptureProperties properties;

	private final CaptureInbox inbox;

	private final Refusals refusals;

	private final MeterRegistry meters;

	private final JsonMapper json = JsonMapper.builder().build();

	CaptureDoor(CaptureProperties properties, CaptureInbox inbox, Refusals refusals, MeterRegistry meters) {
		this.properties = properties;
		this.inbox = inbox;
		this.refusals = refusals;
		this.meters = meters;
	}

	CaptureProperties properties() {
		return this.properties;
	}

	/**
	 * The app of that name, or a refusal.
	 * @param <A> the app's settings type
	 * @param apps the platform's apps
	 * @param name the name in the URL
	 * @param request the request (for the refusal's peer)
	 * @param platform the platform
	 * @return the app
	 * @throws Refused when there is none
	 */
	<A> A app(Map<String, A> apps, String name, HttpServletRequest request, InboxPlatform platform) throws Refused {
		A app = apps.get(name);
		if (app == null) {
			throw new Refused(platform, name, Refusal.UNKNOWN_APP, request);
		}
		return app;
	}

	/**
	 * Reads a JSON body as sent, after checking its content type and size.
	 * @param request the request
	 * @param platform the platform
	 * @param app the app
	 * @return the raw bytes
	 * @throws Refused for a wrong content type or an oversized body
	 * @throws IOException if the client breaks off
	 */
	byte[] body(HttpServletRequest request, InboxPlatform platform, String app) throws Refused, IOException {
		String contentType = request.getContentType();
		if (contentType == null || !JSON.matcher(contentType).matches()) {
			throw new Refused(platform, app, Refusal.WRONG_CONTENT_TYPE, request);
		}
		long limit = this.properties.maxBodySize().toBytes();
		if (request.getContentLengthLong() > limit) {
			throw new Refused(platform, app, Refusal.TOO_LARGE, request);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
			if (body.length > limit) {
				throw new Refused(platform, app, Refusal.TOO_LARGE, request);
			}
			return body;
		}
	}

	/**
	 * The body as JSON, or empty when it is not JSON (a signed body is kept all the
	 * same).
	 * @param body the body
	 * @return the tree
	 */
	Optional<JsonNode> json(byte[] body) {
		try {
			JsonNode node = this.json.readTree(body);
			return (node != null && !node.isMissingNode()) ? Optional.of(node) : Optional.empty();
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
	}

	JsonMapper mapper() {
		return this.json;
	}

	/**
	 * Stores a delivery and answers: {@code success} once committed, 503 when the
	 * database is unavailable.
	 * @param delivery the delivery
	 * @param success the status for a committed delivery
	 * @return the answer
	 */
	ResponseEntity<Void> store(Delivery delivery, HttpStatus success) {
		String platform = delivery.platform().name().toLowerCase(Locale.ROOT);
		long start = System.nanoTime();
		try {
			CaptureInbox.Stored stored = this.inbox.store(delivery);
			Timer.builder("chatvault.capture.stored")
				.description("Deliveries committed to the inbox, and the time to seal and commit them")
				.tag("platform", platform)
				.tag("outcome", stored.name().toLowerCase(Locale.ROOT))
				.register(this.meters)
				.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
			return ResponseEntity.status(success).build();
		}
		catch (DataAccessException | TransactionException ex) {
			this.meters.counter("chatvault.capture.unavailable", "platform", platform).increment();
			logger.warn("Cannot store a " + platform + " delivery for app '" + delivery.app()
					+ "' (answered 503, the platform delivers again): " + ex.getMessage());
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "10").build();
		}
	}

	/**
	 * Records a refusal and answers it.
	 * @param refused the refusal
	 * @return the answer
	 */
	ResponseEntity<Void> refuse(Refused refused) {
		this.refusals.refused(refused.platform, refused.app, refused.refusal, refused.peer);
		return ResponseEntity.status(refused.refusal.status()).build();
	}

	/** A delivery refused at the door. */
	static final class Refused extends Exception {

		private final InboxPlatform platform;

		private final String app;

		private final Refusal refusal;

		private final String peer;

		Refused(InboxPlatform platform, String app, Refusal refusal, HttpServletRequest request) {
			super(refusal.reason(), null, false, false);
			this.platform = platform;
			this.app = app;
			this.refusal = refusal;
			this.peer = request.getRemoteAddr();
		}

		Refusal refusal() {
			return this.refusal;
		}

	}

}
