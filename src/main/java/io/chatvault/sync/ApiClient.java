package io.chatvault.sync;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;

import io.chatvault.source.JsonRecords;

/**
 * GETs and POSTs JSON from the platforms' APIs with the retries they ask for: a 429 or
 * 503 waits what {@code Retry-After} says (seconds or an HTTP date; up to
 * {@code max-retry-after}), other transient failures (5xx, timeouts, refused or reset
 * connections) back off exponentially with jitter, up to {@code max-attempts}. Anything
 * else (401, 403, 404, a body that is not JSON) fails at once with one line naming the
 * request.
 */
class ApiClient {

	private static final Log logger = LogFactory.getLog(ApiClient.class);

	private final HttpClient http;

	private final SyncProperties.Http settings;

	private final JsonRecords json = new JsonRecords();

	ApiClient(SyncProperties.Http settings) {
		this.settings = settings;
		this.http = HttpClient.newBuilder()
			.connectTimeout(settings.timeout())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
	}

	/**
	 * GETs a JSON document.
	 * @param uri the request
	 * @param bearer the token, or null
	 * @return the parsed body
	 * @throws ApiException when the request failed for good
	 */
	JsonNode get(URI uri, String bearer) {
		return send(() -> request(uri, bearer).GET().build(), uri);
	}

	/**
	 * POSTs a form and reads a JSON answer (token endpoints).
	 * @param uri the endpoint
	 * @param form the url-encoded form
	 * @return the parsed body
	 */
	JsonNode postForm(URI uri, String form) {
		return send(() -> request(uri, null).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), uri);
	}

	private HttpRequest.Builder request(URI uri, String bearer) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
			.timeout(this.settings.timeout())
			.header("Accept", "application/json");
		if (bearer != null && !bearer.isBlank()) {
			builder.header("Authorization", "Bearer " + bearer);
		}
		return builder;
	}

	private JsonNode send(java.util.function.Supplier<HttpRequest> request, URI uri) {
		String what = redacted(uri);
		for (int attempt = 1;; attempt++) {
			Duration wait;
			String reason;
			try {
				HttpResponse<byte[]> response = this.http.send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
				int status = response.statusCode();
				if (status / 100 == 2) {
					JsonRecords.Parsed parsed = this.json.parse(response.body());
					if (!parsed.ok()) {
						throw new ApiException(what + " answered " + status + " with " + parsed.problem());
					}
					return parsed.node();
				}
				Optional<Duration> retryAfter = retryAfter(response);
				if (status == 429 || status == 503 || (status / 100 == 5)) {
					if (retryAfter.isPresent() && retryAfter.get().compareTo(this.settings.maxRetryAfter()) > 0) {
						throw new ApiException(what + " answered " + status + " with Retry-After "
								+ retryAfter.get().toSeconds() + " s, beyond chatvault.sync.http.max-retry-after");
					}
					wait = retryAfter.isPresent() ? retryAfter.get()
							: backoff(this.settings, (status == 429) ? attempt + 2 : attempt);
					reason = "HTTP " + status;
				}
				else {
					throw new ApiException(what + " answered " + status + ": " + snippet(response.body()));
				}
			}
			catch (IOException ex) {
				wait = backoff(this.settings, attempt);
				reason = ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ApiException(what + ": interrupted");
			}
			if (attempt >= this.settings.maxAttempts()) {
				throw new ApiException(what + " failed " + attempt + " times, last: " + reason
						+ " (chatvault.sync.http.max-attempts)");
			}
			logger.info(what + ": " + reason + "; retrying in " + wait.toMillis() + " ms (attempt " + (attempt + 1)
					+ " of " + this.settings.maxAttempts() + ")");
			pause(wait);
		}
	}

	/** Exponential backoff with full jitter between half and all of the step. */
	static Duration backoff(SyncProperties.Http settings, int attempt) {
		long initial = Math.max(1, settings.initialBackoff().toMillis());
		long step = initial << Math.min(20, Math.max(0, attempt - 1));
		long capped = Math.min(step, settings.maxBackoff().toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	static Optional<Duration> retryAfter(HttpResponse<?> response) {
		return response.headers().firstValue("Retry-After").flatMap(ApiClient::parseRetryAfter);
	}

	static Optional<Duration> parseRetryAfter(String value) {
		String text = value.trim();
		try {
			return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(text))));
		}
		catch (NumberFormatException ex) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
				Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
				return Optional.of(until.isNegative() ? Duration.ZERO : until);
			}
			catch (DateTimeParseException notADate) {
				return Optional.empty();
			}
		}
	}

	private static void pause(Duration wait) {
		try {
			Thread.sleep(wait.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ApiException("interrupted while waiting to retry");
		}
	}

	/** The request without query values that could be credentials. */
	static String redacted(URI uri) {
		String text = uri.toString();
		return text.replaceAll("([?&](?:token|client_secret|access_token)=)[^&]*", "$1REDACTED");
	}

	private static String snippet(byte[] body) {
		String text = new String(body, 0, Math.min(body.length, 300), java.nio.charset.StandardCharsets.UTF_8);
		return text.replaceAll("\\s+", " ").trim();
	}

	/** A request that failed for good. */
	static class ApiException extends RuntimeException {

		ApiException(String message) {
			super(message);
		}

	}

}
