package io.chatvault.source;

/**
 * The order of day, month and year in a zone-less, locale-dependent date (WhatsApp
 * exports). Inferred per file unless overridden; the inference is reported.
 */
public enum DateOrder {

	/** Infer from the file. */
	AUTO,

	/** dd/mm/yy. */
	DAY_FIRST,

	/** mm/dd/yy. */
	MONTH_FIRST,

	/** yyyy/mm/dd. */
	YEAR_FIRST

}
