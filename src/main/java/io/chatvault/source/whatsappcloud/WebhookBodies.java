package io.chatvault.source.whatsappcloud;

import java.util.ArrayList;
import java.util.List;

import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.source.JsonRecords;
import io.chatvault.source.MappedRecord;

/**
 * WhatsApp Business Cloud API webhook bodies as the capture inbox holds them, one POST
 * body at a time, mapped by the same {@link WebhookMapper} as dumped bodies: every
 * message, echo and status becomes a record; a body that is not JSON, or holds nothing
 * the model archives, is quarantined with its raw bytes.
 */
public final class WebhookBodies {

	private final JsonRecords json = new JsonRecords();

	private final WebhookMapper mapper;

	private final TextWebhookStream texts = new TextWebhookStream(this.json);

	/** Bodies whose customer links last as long as this instance. */
	public WebhookBodies() {
		this(CustomerLinks.inMemory());
	}

	/**
	 * Bodies whose customer links are kept by {@code links}.
	 * @param links where a customer's phone number and business-scoped id are linked
	 */
	public WebhookBodies(CustomerLinks links) {
		this.mapper = new WebhookMapper(this.json, links);
	}

	/**
	 * Maps one body.
	 * @param body the raw POST body
	 * @param origin where it was read (the inbox row)
	 * @return one record per message, echo and status, or the quarantined body
	 */
	public List<SourceRecord> read(byte[] body, SourceLocation origin) {
		// Most bodies are incoming text messages: read in one pass, without a tree.
		List<TextWebhookStream.Change> texts = this.texts.read(body);
		if (texts == null) {
			return readTree(body, origin);
		}
		List<MappedRecord> results;
		try {
			results = this.mapper.map(texts, origin, Sha256.hex(body));
		}
		catch (RuntimeException ex) {
			results = List.of(MappedRecord.problem("cannot map the webhook body: " + ex));
		}
		return records(results, origin, body);
	}

	/**
	 * Maps one body through its tree, whatever it holds: what {@link #read} does with a
	 * body that is not of incoming text messages (and, for the tests, with any body).
	 * @param body the raw POST body
	 * @param origin where it was read (the inbox row)
	 * @return one record per message, echo and status, or the quarantined body
	 */
	List<SourceRecord> readTree(byte[] body, SourceLocation origin) {
		JsonRecords.Parsed parsed = this.json.parse(body);
		if (!parsed.ok()) {
			return List.of(new QuarantinedRecord(origin, "WhatsApp webhook body: " + parsed.problem(), body));
		}
		List<MappedRecord> results;
		try {
			results = this.mapper.map(parsed.node(), origin, Sha256.hex(body));
		}
		catch (RuntimeException ex) {
			results = List.of(MappedRecord.problem("cannot map the webhook body: " + ex));
		}
		return records(results, origin, body);
	}

	private static List<SourceRecord> records(List<MappedRecord> results, SourceLocation origin, byte[] body) {
		List<SourceRecord> records = new ArrayList<>(results.size());
		for (MappedRecord result : results) {
			records.add(result.ok() ? result.record() : new QuarantinedRecord(origin, result.problem(), body));
		}
		return records;
	}

}
