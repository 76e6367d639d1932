package io.chatvault.capture;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import io.chatvault.message.Sha256;
import io.chatvault.sync.InboxPlatform;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * WhatsApp Business Cloud API webhooks, one callback URL per Meta app
 * ({@code /webhooks/whatsapp/<app>}): the GET verification handshake, and POST deliveries
 * signed with {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw bytes under the app
 * secret). A redelivery is the same body (Meta retries with the same bytes), so the
 * body's SHA-256 is its dedupe key.
 */
@RestController
@RequestMapping("/webhooks/whatsapp/{app}")
class WhatsAppWebhook {

	private final CaptureDoor door;

	WhatsAppWebhook(CaptureDoor door) {
		this.door = door;
	}

	// The challenge as text/plain whatever the Accept header says: a produces condition
	// would answer 406, before the token is even checked, to a client that asks for JSON.
	@GetMapping
	ResponseEntity<String> verify(@PathVariable String app,
			@RequestParam(name = "hub.mode", required = false) String mode,
			@RequestParam(name = "hub.verify_token", required = false) String token,
			@RequestParam(name = "hub.challenge", required = false) String challenge, HttpServletRequest request) {
		try {
			CaptureProperties.WhatsApp settings = this.door.app(this.door.properties().whatsapp(), app, request,
					InboxPlatform.WHATSAPP);
			if (!"subscribe".equals(mode) || token == null || settings.verifyToken() == null
					|| !MessageDigest.isEqual(Signatures.utf8(token), Signatures.utf8(settings.verifyToken()))) {
				throw new CaptureDoor.Refused(InboxPlatform.WHATSAPP, app, Refusal.BAD_VERIFY_TOKEN, request);
			}
			return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body((challenge != null) ? challenge : "");
		}
		catch (CaptureDoor.Refused refused) {
			return ResponseEntity.status(this.door.refuse(refused).getStatusCode()).build();
		}
	}

	@PostMapping
	ResponseEntity<Void> deliver(@PathVariable String app,
			@RequestHeader(name = "X-Hub-Signature-256", required = false) String signature, HttpServletRequest request)
			throws IOException {
		try {
			CaptureProperties.WhatsApp settings = this.door.app(this.door.properties().whatsapp(), app, request,
					InboxPlatform.WHATSAPP);
			byte[] body = this.door.body(request, InboxPlatform.WHATSAPP, app);
			if (signature == null || signature.isBlank()) {
				throw new CaptureDoor.Refused(InboxPlatform.WHATSAPP, app, Refusal.MISSING_SIGNATURE, request);
			}
			if (settings.appSecret() == null || !Signatures.matches(signature, "sha256=",
					Signatures.hmacSha256(Signatures.utf8(settings.appSecret()), body))) {
				throw new CaptureDoor.Refused(InboxPlatform.WHATSAPP, app, Refusal.BAD_SIGNATURE, request);
			}
			List<String> routing = this.door.json(body).map(RoutingKeys::whatsapp).orElse(List.of());
			return this.door.store(new Delivery(InboxPlatform.WHATSAPP, app, "sha256:" + Sha256.hex(body), routing,
					request.getRemoteAddr(), body, null), HttpStatus.OK);
		}
		catch (CaptureDoor.Refused refused) {
			return this.door.refuse(refused);
		}
	}

}
