package io.chatvault.capture;

import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * Why a delivery was refused at the door, and the status it is answered with. Nothing of
 * a refused body is stored: only the reason, the peer and the time.
 */
enum Refusal {

	/** No signature header (WhatsApp, Slack). */
	MISSING_SIGNATURE(HttpStatus.UNAUTHORIZED),

	/** A signature that does not match the body under the app's secret. */
	BAD_SIGNATURE(HttpStatus.UNAUTHORIZED),

	/** Slack: a request timestamp missing, unreadable or older than the tolerance. */
	STALE_TIMESTAMP(HttpStatus.UNAUTHORIZED),

	/** No app of that name is configured for the platform. */
	UNKNOWN_APP(HttpStatus.UNAUTHORIZED),

	/** Graph: a notification without the subscription's clientState. */
	BAD_CLIENT_STATE(HttpStatus.UNAUTHORIZED),

	/** Graph: encrypted resource data whose dataSignature fails, or not for our key. */
	BAD_ENCRYPTED_CONTENT(HttpStatus.UNAUTHORIZED),

	/**
	 * Graph: resource data without a {@code validationToken} that passes for the
	 * notification's tenant (forged, expired, for another app or tenant).
	 */
	BAD_VALIDATION_TOKEN(HttpStatus.UNAUTHORIZED),

	/**
	 * Graph: the identity platform's signing keys could not be fetched, so the tokens
	 * cannot be checked now; answered 503 so that Graph delivers again.
	 */
	SIGNING_KEYS_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE),

	/** WhatsApp: the GET handshake with a wrong verify token. */
	BAD_VERIFY_TOKEN(HttpStatus.FORBIDDEN),

	/** A body over {@code chatvault.capture.max-body-size}. */
	TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE),

	/** A content type the platform never sends for these deliveries. */
	WRONG_CONTENT_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE);

	private final HttpStatus status;

	Refusal(HttpStatus status) {
		this.status = status;
	}

	HttpStatus status() {
		return this.status;
	}

	/** The reason as stored and tagged: {@code bad_signature}. */
	String reason() {
		return name().toLowerCase(Locale.ROOT);
	}

}
