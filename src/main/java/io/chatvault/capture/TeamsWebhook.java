package io.chatvault.capture;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;

import io.chatvault.message.Sha256;
import io.chatvault.sync.InboxPlatform;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Microsoft Graph change notifications for Teams chat and channel messages, one
 * notification URL per app ({@code /webhooks/teams/<app>}): the {@code validationToken}
 * handshake Graph makes when a subscription is created (echoed as text/plain), then
 * notification collections whose every item must carry the subscription's
 * {@code clientState}. Resource data is taken only with {@code validationTokens} that
 * pass ({@link GraphValidationTokens}); encrypted resource data is decrypted here
 * ({@link GraphResourceData}) and kept, sealed, beside the raw body, since the key that
 * opens it stays with this server. Answered 202 once committed. The dedupe key hashes
 * each notification's id, subscription, change type, resource and resource version.
 */
@RestController
@RequestMapping("/webhooks/teams/{app}")
class TeamsWebhook {

	private static final Log logger = LogFactory.getLog(TeamsWebhook.class);

	private final CaptureDoor door;

	private final Clock clock;

	private final Map<String, GraphResourceData> decryptors = new ConcurrentHashMap<>();

	private final Map<String, GraphValidationTokens> tokens = new ConcurrentHashMap<>();

	TeamsWebhook(CaptureDoor door, Clock clock) {
		this.door = door;
		this.clock = clock;
	}

	@PostMapping
	ResponseEntity<?> deliver(@PathVariable String app,
			@RequestParam(name = "validationToken", required = false) String validationToken,
			HttpServletRequest request) throws IOException {
		try {
			CaptureProperties.Teams settings = this.door.app(this.door.properties().teams(), app, request,
					InboxPlatform.TEAMS);
			if (validationToken != null) {
				return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(validationToken);
			}
			byte[] body = this.door.body(request, InboxPlatform.TEAMS, app);
			// Graph signs no body: the clientState inside authenticates every
			// notification (and validationTokens those with resource data), so a body
			// that is not JSON cannot be taken.
			Optional<JsonNode> json = this.door.json(body);
			JsonNode notifications = json.map((node) -> node.path("value")).orElse(null);
			if (notifications == null || !notifications.isArray() || notifications.isEmpty()) {
				throw new CaptureDoor.Refused(InboxPlatform.TEAMS, app, Refusal.BAD_CLIENT_STATE, request);
			}
			for (JsonNode notification : notifications) {
				String clientState = notification.path("clientState").asString("");
				if (settings.clientState() == null || !MessageDigest.isEqual(Signatures.utf8(clientState),
						Signatures.utf8(settings.clientState()))) {
					throw new CaptureDoor.Refused(InboxPlatform.TEAMS, app, Refusal.BAD_CLIENT_STATE, request);
				}
			}
			checkValidationTokens(app, settings, json.get(), request);
			ArrayNode resources = decrypt(app, settings, notifications, request);
			List<String> routing = RoutingKeys.teams(json.get(), resources);
			byte[] resourceBytes = (resources != null) ? this.door.mapper().writeValueAsBytes(resources) : null;
			return this.door.store(new Delivery(InboxPlatform.TEAMS, app, dedupeKey(notifications, resources), routing,
					request.getRemoteAddr(), body, resourceBytes), HttpStatus.ACCEPTED);
		}
		catch (CaptureDoor.Refused refused) {
			return this.door.refuse(refused);
		}
	}

	/**
	 * Notifications with resource data are accepted only when the collection's
	 * {@code validationTokens} pass ({@link GraphValidationTokens}) and vouch for each
	 * such notification's tenant (and that tenant is one we take, when {@code tenant-ids}
	 * names them).
	 */
	private void checkValidationTokens(String app, CaptureProperties.Teams settings, JsonNode collection,
			HttpServletRequest request) throws CaptureDoor.Refused {
		List<String> tenants = new ArrayList<>();
		for (JsonNode notification : collection.path("value")) {
			if (notification.has("encryptedContent")) {
				tenants.add(notification.path("tenantId").asString(""));
			}
		}
		if (tenants.isEmpty()) {
			return;
		}
		if (settings.applicationId() == null) {
			// no private key either (the properties require both): nothing can open it
			throw new CaptureDoor.Refused(InboxPlatform.TEAMS, app, Refusal.BAD_ENCRYPTED_CONTENT, request);
		}
		List<String> sent = new ArrayList<>();
		for (JsonNode token : collection.path("validationTokens")) {
			sent.add(token.isString() ? token.asString() : null);
		}
		GraphValidationTokens checker = this.tokens.computeIfAbsent(app,
				(name) -> new GraphValidationTokens(settings.keySet(), this.clock));
		try {
			Set<String> vouched = checker.tenants(sent, settings.applicationId());
			for (String tenant : tenants) {
				if (!vouched.contains(tenant)
						|| (!settings.tenantIds().isEmpty() && !settings.tenantIds().contains(tenant))) {
					throw new GraphValidationTokens.Invalid("no token for tenant " + tenant);
				}
			}
		}
		catch (GraphValidationTokens.Invalid ex) {
			logger.warn("Teams app " + app + ": notification refused, validation token: " + ex.getMessage());
			throw new CaptureDoor.Refused(InboxPlatform.TEAMS, app, Refusal.BAD_VALIDATION_TOKEN, request);
		}
		catch (GraphValidationTokens.KeysUnavailable ex) {
			logger.warn("Teams app " + app + ": notification not taken now, " + ex.getMessage());
			throw new CaptureDoor.Refused(InboxPlatform.TEAMS, app, Refusal.SIGNING_KEYS_UNAVAILABLE, request);
		}
	}

	private ArrayNode decrypt(String app, CaptureProperties.Teams settings, JsonNode notifications,
			HttpServletRequest request) throws CaptureDoor.Refused {
		ArrayNode resources = this.door.mapper().createArrayNode();
		boolean any = false;
		for (JsonNode notification : notifications) {
			JsonNode encrypted = notification.path("encryptedContent");
			if (!encrypted.isObject()) {
				resources.addNull();
				continue;
			}
			any = true;
			if (settings.privateKey() == null) {
				throw new CaptureDoor.Refused(InboxPlatform.TEAMS, app, Refusal.BAD_ENCRYPTED_CONTENT, request);
			}
			GraphResourceData decryptor = this.decryptors.computeIfAbsent(app,
					(name) -> GraphResourceData.of(settings.privateKey(), settings.certificateId()));
			try {
				byte[] plain = decryptor.decrypt(encrypted.path("dataKey").asString(null),
						encrypted.path("data").asString(null), encrypted.path("dataSignature").asString(null),
						encrypted.path("encryptionCertificateId").asString(null));
				Optional<JsonNode> resource = this.door.json(plain);
				if (resource.isPresent()) {
					resources.add(resource.get());
				}
				else {
					resources.addNull();
				}
			}
			catch (GraphResourceData.InvalidContent ex) {
				throw new CaptureDoor.Refused(InboxPlatform.TEAMS, app, Refusal.BAD_ENCRYPTED_CONTENT, request);
			}
		}
		return any ? resources : null;
	}

	private static String dedupeKey(JsonNode notifications, ArrayNode resources) {
		List<String> fields = new ArrayList<>();
		int i = 0;
		for (JsonNode notification : notifications) {
			JsonNode resource = (resources != null) ? resources.path(i) : null;
			fields.add(notification.path("id").asString(""));
			fields.add(notification.path("subscriptionId").asString(""));
			fields.add(notification.path("changeType").asString(""));
			fields.add(notification.path("resource").asString(""));
			fields.add(notification.path("resourceData").path("@odata.etag").asString(""));
			fields.add((resource != null) ? resource.path("etag").asString("") : "");
			fields.add((resource != null) ? resource.path("lastModifiedDateTime").asString("") : "");
			i++;
		}
		return "notifications:" + Sha256.hexOfFields(fields.toArray(String[]::new));
	}

}
