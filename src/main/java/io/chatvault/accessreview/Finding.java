package io.chatvault.accessreview;

import java.time.LocalDate;
import java.util.Optional;

/**
 * One problem a review found.
 *
 * @param kind what kind ({@code leaver-with-live-token}, ...)
 * @param severity high, medium or low
 * @param subject what it is about ({@code principal:<id>}, {@code grant:<id>},
 * {@code token:<id>}, {@code custodian:<id>})
 * @param principalId the principal concerned, if any
 * @param detail one line for a person
 * @param day the day, for abnormal access
 * @param observed the figure observed, for abnormal access (records that day)
 */
record Finding(String kind, String severity, String subject, Optional<String> principalId, String detail,
		Optional<LocalDate> day, Optional<Long> observed) {

	static Finding of(String kind, String severity, String subject, String principalId, String detail) {
		return new Finding(kind, severity, subject, Optional.ofNullable(principalId), detail, Optional.empty(),
				Optional.empty());
	}

}
