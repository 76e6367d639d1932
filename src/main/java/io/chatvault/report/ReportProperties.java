package io.chatvault.report;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Compliance report settings ({@code chatvault.report.*}); the SMTP server is Spring
 * Boot's {@code spring.mail.*} (host, port, username, password, STARTTLS through
 * {@code spring.mail.properties.mail.smtp.starttls.*}).
 *
 * @param zone the zone whose days the report counts in
 * @param from the sender of the mail
 * @param monthly who receives the monthly report
 * @param weekly who receives the weekly report
 * @param retention how long the workbook is kept in the write-once store (7 years: SEC
 * 17a-4)
 * @param template the workbook template, a Spring resource location
 * @param fetchSize rows fetched at a time for the detail sheets
 * @param detailRowsPerSheet rows per detail sheet before it continues on the next (at
 * most a worksheet's limit, 1,048,575)
 */
@ConfigurationProperties("chatvault.report")
public record ReportProperties(@DefaultValue("UTC") ZoneId zone, @DefaultValue("chatvault@localhost") String from,
		@DefaultValue List<String> monthly, @DefaultValue List<String> weekly,
		@DefaultValue("2557d") Duration retention,
		@DefaultValue("classpath:reports/templates/compliance-report.xlsx") String template,
		@DefaultValue("5000") int fetchSize, @DefaultValue("1048575") int detailRowsPerSheet) {

	/** The recipients of a report of that kind. */
	List<String> recipients(ReportPeriod.Kind kind) {
		return (kind == ReportPeriod.Kind.MONTHLY) ? this.monthly : this.weekly;
	}

}
