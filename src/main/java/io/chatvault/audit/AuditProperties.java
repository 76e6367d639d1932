package io.chatvault.audit;

import java.time.Period;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the audit log ({@code chatvault.audit.*}).
 *
 * @param anchorRetention how long anchors are locked in the object store (COMPLIANCE
 * mode): at least as long as the longest retention of the records the log speaks about
 */
@Validated
@ConfigurationProperties("chatvault.audit")
public record AuditProperties(@NotNull @DefaultValue("P10Y") Period anchorRetention) {
}
