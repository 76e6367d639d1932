package io.chatvault.retention;

import java.time.Period;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The regulations a retention policy can name, with the period each imposes. A policy may
 * still give its own period (a firm keeping FCA records longer); GDPR's minimal policy
 * has none and must be given one, and is the one that is not statutory: the law demands
 * no more than what is needed, so erasure inside it is allowed.
 */
public enum Regulation {

	/**
	 * SEC Rule 17a-4 (broker-dealers): six years, the firms' practice and FINRA: seven.
	 */
	SEC_17A_4("sec-17a-4", "SEC 17a-4", Period.ofYears(7), true),

	/** MiFID II article 16(7): five years, up to seven on the regulator's request. */
	MIFID_II("mifid-ii", "MiFID II", Period.ofYears(7), true),

	/** FCA COBS 11.8: five years. */
	FCA_COBS_11_8("fca-cobs-11.8", "FCA COBS 11.8", Period.ofYears(5), true),

	/** HIPAA 45 CFR 164.316: six years. */
	HIPAA("hipaa", "HIPAA", Period.ofYears(6), true),

	/** Singapore PDPA (and MAS): six years. */
	PDPA("pdpa", "PDPA", Period.ofYears(6), true),

	/** GDPR article 5(1)(e): no longer than needed; the period is the firm's choice. */
	GDPR_MINIMAL("gdpr-minimal", "GDPR (storage limitation)", null, false);

	private final String key;

	private final String title;

	private final Period period;

	private final boolean statutory;

	Regulation(String key, String title, Period period, boolean statutory) {
		this.key = key;
		this.title = title;
		this.period = period;
		this.statutory = statutory;
	}

	/** The name on the command line ("sec-17a-4"). */
	public String key() {
		return this.key;
	}

	/** The name kept with the policy ("SEC 17a-4"). */
	public String title() {
		return this.title;
	}

	/** The period the regulation imposes, if it fixes one. */
	public Optional<Period> period() {
		return Optional.ofNullable(this.period);
	}

	/** Whether the law imposes the retention (an erasure inside it is refused). */
	public boolean statutory() {
		return this.statutory;
	}

	/**
	 * The regulation of a command-line name.
	 * @param key the name
	 * @return the regulation
	 * @throws IllegalArgumentException naming the known ones
	 */
	public static Regulation of(String key) {
		String wanted = key.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(values())
			.filter((r) -> r.key.equals(wanted))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("unknown regulation '" + key + "' (one of "
					+ Arrays.stream(values()).map(Regulation::key).collect(Collectors.joining(", ")) + ")"));
	}

}
