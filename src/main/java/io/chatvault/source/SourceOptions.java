package io.chatvault.source;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What a reader needs to know beyond the input itself.
 *
 * @param custodian the employee whose export this is; part of conversation ids of sources
 * that have no global conversation ids (WhatsApp exports)
 * @param zone the custodian's zone, used to read zone-less timestamps and recorded with
 * each record
 * @param dateOrder the date order to use, or {@link DateOrder#AUTO} to infer it per file
 */
public record SourceOptions(String custodian, ZoneId zone, DateOrder dateOrder) {

	public SourceOptions {
		custodian = (custodian != null) ? custodian : "";
		zone = (zone != null) ? zone : ZoneOffset.UTC;
		dateOrder = (dateOrder != null) ? dateOrder : DateOrder.AUTO;
	}

	public static SourceOptions defaults() {
		return new SourceOptions("", ZoneOffset.UTC, DateOrder.AUTO);
	}

}
