package io.chatvault.sync;

import java.util.List;

import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.slack.SlackApiMessages;
import io.chatvault.source.teams.TeamsApiMessages;
import io.chatvault.source.whatsappcloud.CustomerLinks;
import io.chatvault.source.whatsappcloud.WebhookBodies;

/**
 * Reads captured webhook bodies with the platforms' own mappers, the same that read
 * exports of those platforms: a body becomes its records, or is quarantined with its raw
 * bytes (malformed JSON, nothing the model archives). Not thread-safe: one per reader.
 */
class DeliveryMappers {

	private final WebhookBodies whatsapp;

	private final SlackApiMessages slack = new SlackApiMessages();

	private final TeamsApiMessages teams = new TeamsApiMessages();

	DeliveryMappers(CustomerLinks links) {
		this.whatsapp = new WebhookBodies(links);
	}

	List<SourceRecord> read(InboxDelivery delivery) {
		SourceLocation origin = new SourceLocation("inbox",
				delivery.platform().name().toLowerCase(java.util.Locale.ROOT), delivery.id());
		return switch (delivery.platform()) {
			case WHATSAPP -> this.whatsapp.read(delivery.body(), origin);
			case SLACK -> this.slack.event(delivery.body(), origin);
			case TEAMS -> this.teams.notification(delivery.body(), delivery.resources(), origin);
		};
	}

}
