package io.chatvault.capture;

import java.util.Map;

import io.chatvault.cli.StatusContributor;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The inbox in {@code chatvault status}: deliveries waiting for the sync job, the oldest
 * one's age in seconds (a sync that stopped draining shows here), everything captured,
 * and refusals by reason.
 */
@Order(Ordered.LOWEST_PRECEDENCE)
class InboxStatus implements StatusContributor {

	private final CaptureInbox inbox;

	InboxStatus(CaptureInbox inbox) {
		this.inbox = inbox;
	}

	@Override
	public Map<String, Object> figures() {
		return Map.of("inbox", this.inbox.figures());
	}

}
