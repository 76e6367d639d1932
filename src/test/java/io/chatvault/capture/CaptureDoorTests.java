package io.chatvault.capture;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.chatvault.crypto.DataKeys;
import io.chatvault.crypto.KeyEncryptionKeys;
import io.chatvault.custodian.CustodianGroups;
import io.chatvault.sync.InboxPlatform;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The door when PostgreSQL is down: a delivery is answered 503 with Retry-After (the
 * platform delivers again), never 2xx; a refusal is still logged and counted.
 */
class CaptureDoorTests {

	final DriverManagerDataSource down = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/chatvault",
			"chatvault", "");

	final JdbcTemplate jdbc = new JdbcTemplate(this.down);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@SuppressWarnings("unchecked")
	final CaptureDoor door = new CaptureDoor(
			new CaptureProperties(DataSize.ofKilobytes(64), java.time.Duration.ofMinutes(5), Map.of(), Map.of(),
					Map.of()),
			new CaptureInbox(this.jdbc,
					new InboxBodies(new DataKeys(this.jdbc, new DataSourceTransactionManager(this.down),
							mock(KeyEncryptionKeys.class)), Clock.systemUTC()),
					Clock.systemUTC(), mock(CustodianGroups.class), mock(ObjectProvider.class)),
			new Refusals(this.jdbc, this.meters, Clock.systemUTC()), this.meters);

	@Test
	void aDeliveryIsAnswered503WhenTheDatabaseIsDown() {
		// given
		Delivery delivery = new Delivery(InboxPlatform.WHATSAPP, "main", "sha256:00", List.of(), "127.0.0.1",
				"{}".getBytes(StandardCharsets.UTF_8), null);

		// when
		ResponseEntity<Void> answer = this.door.store(delivery, HttpStatus.OK);

		// then
		assertThat(answer.getStatusCode().value()).isEqualTo(503);
		assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("10");
		assertThat(this.meters.counter("chatvault.capture.unavailable", "platform", "whatsapp").count()).isEqualTo(1);
	}

	@Test
	void aRefusalIsCountedWhenTheDatabaseIsDown() throws Exception {
		// given
		var request = new org.springframework.mock.web.MockHttpServletRequest();
		request.setRemoteAddr("203.0.113.7");

		// when
		ResponseEntity<Void> answer = this.door
			.refuse(new CaptureDoor.Refused(InboxPlatform.SLACK, "workspace", Refusal.BAD_SIGNATURE, request));

		// then
		assertThat(answer.getStatusCode().value()).isEqualTo(401);
		assertThat(this.meters.counter("chatvault.capture.refused", "platform", "slack", "reason", "bad_signature")
			.count()).isEqualTo(1);
	}

}
