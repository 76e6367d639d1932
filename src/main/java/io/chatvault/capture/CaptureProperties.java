package io.chatvault.capture;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the capture server ({@code chatvault.capture.*}): the platforms' apps whose
 * deliveries {@code chatvault serve} accepts, each under its own name in the webhook URL
 * ({@code /webhooks/whatsapp/<app>}), and the limits at the door.
 *
 * @param maxBodySize the largest body accepted; larger is refused with 413
 * @param slackTolerance how old a Slack request timestamp may be (older: a replay, 401)
 * @param whatsapp WhatsApp Business Cloud API apps by name
 * @param slack Slack apps by name
 * @param teams Microsoft Graph subscriptions (Teams chats and channels) by name
 */
@Validated
@ConfigurationProperties("chatvault.capture")
public record CaptureProperties(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("5m") Duration slackTolerance,
		@DefaultValue @Valid Map<String, WhatsApp> whatsapp, @DefaultValue @Valid Map<String, Slack> slack,
		@DefaultValue @Valid Map<String, Teams> teams) {

	/**
	 * A Meta app that delivers WhatsApp Cloud API webhooks (one app serves all of its
	 * business accounts and phone numbers).
	 *
	 * @param appSecret the app secret that signs deliveries ({@code X-Hub-Signature-256})
	 * @param verifyToken the token of the GET verification handshake
	 */
	public record WhatsApp(String appSecret, String verifyToken) {
	}

	/**
	 * A Slack app subscribed to the Events API.
	 *
	 * @param signingSecret the app's signing secret ({@code X-Slack-Signature}, v0)
	 */
	public record Slack(String signingSecret) {
	}

	/**
	 * Microsoft Graph change notification subscriptions of one app.
	 *
	 * @param clientState the secret the subscriptions were created with; every
	 * notification must carry it
	 * @param privateKey a PEM file with the PKCS#8 private key of the certificate the
	 * subscriptions' resource data is encrypted for ({@code encryptionCertificate})
	 * @param certificateId the {@code encryptionCertificateId} the subscriptions name; a
	 * notification encrypted for another is refused
	 * @param applicationId the app's id (client id) in Microsoft Entra, the audience of
	 * the {@code validationTokens} Graph sends with resource data; required with
	 * {@code privateKey}
	 * @param tenantIds the tenants whose notifications are accepted (empty: any tenant
	 * whose token passes)
	 * @param keySet where the identity platform's signing keys are fetched (JWKS);
	 * Microsoft's common key set when unset
	 */
	public record Teams(String clientState, Path privateKey, String certificateId, String applicationId,
			@DefaultValue Set<String> tenantIds, URI keySet) {

		public Teams {
			if (privateKey != null && (applicationId == null || applicationId.isBlank())) {
				throw new IllegalArgumentException("application-id must be set with private-key: notifications with "
						+ "resource data are accepted only with validationTokens issued for that application");
			}
		}

	}

}
