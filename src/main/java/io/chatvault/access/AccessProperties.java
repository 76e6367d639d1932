package io.chatvault.access;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access settings ({@code chatvault.access.*}).
 *
 * @param token personal access tokens
 * @param dormantAfter a principal with live grants unused this long is reported by the
 * permission audit
 * @param abnormalRecordsPerDay more content records than this returned to one principal
 * in one day is abnormal access
 * @param reviewZone the zone whose days abnormal access is counted in
 * @param hrFeed the HR feed: a CSV file or a directory of CSV files (hr-sync)
 */
@ConfigurationProperties("chatvault.access")
public record AccessProperties(@DefaultValue Token token, @DefaultValue("90d") Duration dormantAfter,
		@DefaultValue("1000") long abnormalRecordsPerDay, @DefaultValue("UTC") ZoneId reviewZone, Path hrFeed) {

	/**
	 * Token lifetimes.
	 *
	 * @param defaultLifetime the lifetime of a token created without one
	 * @param maxLifetime the longest lifetime a token may be created with; the permission
	 * audit reports live tokens older than this
	 */
	public record Token(@DefaultValue("30d") Duration defaultLifetime, @DefaultValue("90d") Duration maxLifetime) {
	}

}
