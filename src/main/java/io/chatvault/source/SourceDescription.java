package io.chatvault.source;

import java.util.List;
import java.util.Objects;

/**
 * What a reader found out about its input, for {@code chatvault inspect} and the run
 * summary.
 *
 * @param format the format
 * @param dateOrder the date order used (WhatsApp), or {@link DateOrder#AUTO} where it
 * does not apply
 * @param notes how choices were made ("date order inferred: day-first, 14 of 14
 * unambiguous dates agree"), in order
 */
public record SourceDescription(SourceFormat format, DateOrder dateOrder, List<String> notes) {

	public SourceDescription {
		Objects.requireNonNull(format, "format");
		dateOrder = (dateOrder != null) ? dateOrder : DateOrder.AUTO;
		notes = (notes != null) ? List.copyOf(notes) : List.of();
	}

}
