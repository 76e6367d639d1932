package io.chatvault.capture;

import java.time.Clock;

import io.chatvault.crypto.DataKeys;
import io.chatvault.custodian.CustodianGroups;
import io.chatvault.sync.SyncProperties;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires the capture inbox (the sync job's {@link io.chatvault.sync.Inbox} in every
 * process) and what {@code serve}'s endpoints share.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaptureProperties.class)
class CaptureConfiguration {

	@Bean
	CaptureInbox captureInbox(JdbcTemplate jdbc, DataKeys keys, Clock clock, CustodianGroups groups,
			ObjectProvider<SyncProperties> syncProperties) {
		return new CaptureInbox(jdbc, new InboxBodies(keys, clock), clock, groups, syncProperties);
	}

	@Bean
	Refusals captureRefusals(JdbcTemplate jdbc, MeterRegistry meters, Clock clock) {
		return new Refusals(jdbc, meters, clock);
	}

	@Bean
	CaptureDoor captureDoor(CaptureProperties properties, CaptureInbox inbox, Refusals refusals, MeterRegistry meters) {
		return new CaptureDoor(properties, inbox, refusals, meters);
	}

	@Bean
	InboxStatus inboxStatus(CaptureInbox inbox) {
		return new InboxStatus(inbox);
	}

}
