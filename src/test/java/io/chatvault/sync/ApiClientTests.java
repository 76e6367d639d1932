package io.chatvault.sync;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiClientTests {

	@Test
	void retryAfterIsSecondsOrAnHttpDate() {
		assertThat(ApiClient.parseRetryAfter("30")).contains(Duration.ofSeconds(30));
		assertThat(ApiClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
		assertThat(ApiClient.parseRetryAfter("soon")).isEmpty();
	}

	@Test
	void backoffGrowsAndIsCapped() {
		SyncProperties.Http http = new SyncProperties.Http(8, Duration.ofSeconds(1), Duration.ofSeconds(10),
				Duration.ofMinutes(10), Duration.ofSeconds(60));
		assertThat(ApiClient.backoff(http, 1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(ApiClient.backoff(http, 3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		assertThat(ApiClient.backoff(http, 12)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
	}

	@Test
	void credentialsInQueriesAreNotLogged() {
		assertThat(ApiClient.redacted(URI.create("https://slack.com/api/x?token=xoxb-1&channel=C1")))
			.isEqualTo("https://slack.com/api/x?token=REDACTED&channel=C1");
	}

}
