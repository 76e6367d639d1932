package io.chatvault.capture;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import io.chatvault.message.Sha256;
import io.chatvault.sync.InboxPlatform;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Slack Events API deliveries, one request URL per Slack app
 * ({@code /webhooks/slack/<app>}): every request, the {@code url_verification} handshake
 * included, must carry a {@code v0} signature (HMAC-SHA256 of
 * {@code v0:<X-Slack-Request-Timestamp>:<body>} under the signing secret) and a timestamp
 * no older than {@code chatvault.capture.slack-tolerance} (5 minutes: older is a replay).
 * Slack retries a delivery with the same {@code event_id}: the dedupe key.
 */
@RestController
@RequestMapping("/webhooks/slack/{app}")
class SlackWebhook {

	private final CaptureDoor door;

	private final Clock clock;

	SlackWebhook(CaptureDoor door, Clock clock) {
		this.door = door;
		this.clock = clock;
	}

	@PostMapping
	ResponseEntity<?> deliver(@PathVariable String app,
			@RequestHeader(name = "X-Slack-Signature", required = false) String signature,
			@RequestHeader(name = "X-Slack-Request-Timestamp", required = false) String timestamp,
			HttpServletRequest request) throws IOException {
		try {
			CaptureProperties.Slack settings = this.door.app(this.door.properties().slack(), app, request,
					InboxPlatform.SLACK);
			byte[] body = this.door.body(request, InboxPlatform.SLACK, app);
			if (signature == null || signature.isBlank()) {
				throw new CaptureDoor.Refused(InboxPlatform.SLACK, app, Refusal.MISSING_SIGNATURE, request);
			}
			if (!fresh(timestamp)) {
				throw new CaptureDoor.Refused(InboxPlatform.SLACK, app, Refusal.STALE_TIMESTAMP, request);
			}
			if (settings.signingSecret() == null || !Signatures.matches(signature, "v0=", Signatures.hmacSha256(
					Signatures.utf8(settings.signingSecret()), Signatures.utf8("v0:" + timestamp + ":"), body))) {
				throw new CaptureDoor.Refused(InboxPlatform.SLACK, app, Refusal.BAD_SIGNATURE, request);
			}
			Optional<JsonNode> json = this.door.json(body);
			if (json.isPresent() && "url_verification".equals(json.get().path("type").asString(""))) {
				return ResponseEntity.ok()
					.contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("challenge", json.get().path("challenge").asString("")));
			}
			String eventId = json.map((node) -> node.path("event_id").asString("")).orElse("");
			String dedupeKey = eventId.isBlank() ? "sha256:" + Sha256.hex(body) : "event:" + eventId;
			List<String> routing = json.map(RoutingKeys::slack).orElse(List.of());
			return this.door.store(
					new Delivery(InboxPlatform.SLACK, app, dedupeKey, routing, request.getRemoteAddr(), body, null),
					HttpStatus.OK);
		}
		catch (CaptureDoor.Refused refused) {
			return this.door.refuse(refused);
		}
	}

	private boolean fresh(String timestamp) {
		if (timestamp == null) {
			return false;
		}
		try {
			Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
			Duration age = Duration.between(sent, this.clock.instant()).abs();
			return age.compareTo(this.door.properties().slackTolerance()) <= 0;
		}
		catch (NumberFormatException | java.time.DateTimeException ex) {
			return false;
		}
	}

}
