package io.chatvault.sync;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the sync job ({@code chatvault.sync.*}); the groups themselves are
 * {@code chatvault.groups.*}.
 *
 * @param inboxChunk inbox deliveries per chunk (one transaction, one vault pack)
 * @param inboxSlices slices of a window's inbox deliveries (cut by capture time) drained
 * at once, each on its own thread and in its own transactions; 0 means two per core; at
 * most what the connection pool can serve
 * @param processingThreads threads mapping and preparing inbox deliveries, shared by the
 * slices; 0 means one per core
 * @param dropChunk records of a dropped export per chunk
 * @param dropFolder the drop folder: exports land in {@code <drop>/<group>/<custodian>/};
 * unset: {@code CHATVAULT_HOME/drop}
 * @param afterImport what becomes of an imported file: {@code move} (into
 * {@code <group>/.done/}) or {@code keep} (left in place, known by its SHA-256)
 * @param defaultCustodian the custodian of a file dropped outside a custodian's folder,
 * and of an inbox delivery no account routes
 * @param unroutedGroup the group whose windows take the inbox deliveries that no group's
 * account routes (bodies that are not JSON among them); unset: the only group, when there
 * is one
 * @param initialLookback how far back the first poll of an account reaches; unset: one
 * cadence
 * @param lateDetails late arrivals listed one by one per window (the rest are counted)
 * @param slack the Slack Web API
 * @param graph Microsoft Graph
 * @param http retries of both APIs
 * @param alerts the alert rules
 */
@Validated
@ConfigurationProperties("chatvault.sync")
public record SyncProperties(@DefaultValue("10000") @Min(1) int inboxChunk, @DefaultValue("0") @Min(0) int inboxSlices,
		@DefaultValue("0") @Min(0) int processingThreads, @DefaultValue("1000") @Min(1) int dropChunk, Path dropFolder,
		@DefaultValue("move") @NotNull AfterImport afterImport,
		@DefaultValue("unassigned") @NotBlank String defaultCustodian, String unroutedGroup, Duration initialLookback,
		@DefaultValue("1000") @Min(0) int lateDetails, @DefaultValue @Valid Slack slack,
		@DefaultValue @Valid Graph graph, @DefaultValue @Valid Http http, @DefaultValue @Valid Alerts alerts) {

	/**
	 * Slices drained at once: as configured, or two per core. Either is bounded by the
	 * connection pool: a slice's chunk holds a connection and opens a second for the
	 * vault's own short transactions (new data keys, new conversations), and each
	 * processing thread may take one (new WhatsApp customer links); a pool too small for
	 * them would leave every slice waiting for a connection the others hold.
	 * @param poolSize the pool's maximum size, or 0 if unknown
	 * @return the slices
	 */
	int effectiveInboxSlices(int poolSize) {
		int wanted = (this.inboxSlices > 0) ? this.inboxSlices : 2 * Runtime.getRuntime().availableProcessors();
		if (poolSize <= 0) {
			return wanted;
		}
		return Math.max(1, Math.min(wanted, (poolSize - effectiveProcessingThreads()) / 2));
	}

	int effectiveProcessingThreads() {
		return (this.processingThreads > 0) ? this.processingThreads : Runtime.getRuntime().availableProcessors();
	}

	/** What becomes of a dropped file once imported. */
	public enum AfterImport {

		/** Moved into the group's {@code .done/} folder. */
		MOVE,

		/** Left where it is; its SHA-256 says it is done. */
		KEEP

	}

	/**
	 * The Slack Web API.
	 *
	 * @param baseUrl the API root
	 * @param token a bot or user token with the {@code *:history} scopes
	 * ({@code CHATVAULT_SYNC_SLACK_TOKEN})
	 * @param pageSize messages per page (Slack's maximum is 999, recommended 200; apps
	 * outside the Marketplace get 15)
	 */
	public record Slack(@DefaultValue("https://slack.com/api") @NotNull URI baseUrl, String token,
			@DefaultValue("200") @Min(1) @Max(999) int pageSize) {
	}

	/**
	 * Microsoft Graph.
	 *
	 * @param baseUrl the API root
	 * @param token a bearer token, when not obtained from the client credentials below
	 * @param tenantId the tenant, for client credentials
	 * @param clientId the application id, for client credentials
	 * @param clientSecret its secret ({@code CHATVAULT_SYNC_GRAPH_CLIENT_SECRET})
	 * @param tokenUrl the token endpoint; unset: the Microsoft identity platform's for
	 * the tenant
	 * @param pageSize {@code $top} (Graph's maximum for chat messages is 50)
	 * @param model the payment model of the metered export APIs ({@code A}, {@code B}),
	 * or empty for evaluation mode
	 */
	public record Graph(@DefaultValue("https://graph.microsoft.com/v1.0") @NotNull URI baseUrl, String token,
			String tenantId, String clientId, String clientSecret, URI tokenUrl,
			@DefaultValue("50") @Min(1) @Max(50) int pageSize, @DefaultValue("") String model) {
	}

	/**
	 * Retries of API calls: 429 and 503 wait what {@code Retry-After} says; other
	 * transient failures (5xx, timeouts, resets) back off exponentially.
	 *
	 * @param maxAttempts attempts per request
	 * @param initialBackoff the first backoff
	 * @param maxBackoff the longest backoff
	 * @param maxRetryAfter the longest {@code Retry-After} honoured; longer fails the
	 * request (the run fails and resumes on restart)
	 * @param timeout per request
	 */
	public record Http(@DefaultValue("8") @Min(1) int maxAttempts, @DefaultValue("1s") Duration initialBackoff,
			@DefaultValue("60s") Duration maxBackoff, @DefaultValue("10m") Duration maxRetryAfter,
			@DefaultValue("60s") Duration timeout) {
	}

	/**
	 * Rules that raise an alert in a window's result (exit 9).
	 *
	 * @param burstRate messages per second that, sustained for {@code burstDuration},
	 * make a burst
	 * @param burstDuration how long the rate must last
	 * @param volumeFactor a window with more than this many times the median of the
	 * group's recent windows is far above normal
	 * @param volumeHistory completed windows the median is taken over (at least 4 needed)
	 * @param silentWindows windows in a row without a message that make a busy account
	 * silent
	 * @param busyAverage messages per window, on average over {@code busyHistory} windows
	 * before the silence, that make an account usually busy
	 * @param busyHistory windows the average is taken over
	 */
	public record Alerts(@DefaultValue("200") @Min(1) long burstRate, @DefaultValue("5m") Duration burstDuration,
			@DefaultValue("10") @Min(1) long volumeFactor, @DefaultValue("16") @Min(1) int volumeHistory,
			@DefaultValue("4") @Min(1) int silentWindows, @DefaultValue("10") @Min(1) long busyAverage,
			@DefaultValue("16") @Min(1) int busyHistory) {
	}

}
