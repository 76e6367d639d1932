package io.chatvault.restore;

import java.nio.file.Path;
import java.time.Period;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Restore drill settings ({@code chatvault.restore.drill.*}).
 *
 * @param custodians how many custodians each drill draws
 * @param scratch where each custodian is restored before it is checked (a directory per
 * drill and custodian, deleted afterwards); unset, {@code CHATVAULT_HOME/restore-drill}
 * @param reportRetention how long the drill report is kept in the write-once store
 */
@Validated
@ConfigurationProperties("chatvault.restore.drill")
public record RestoreDrillProperties(@DefaultValue("3") @Min(1) int custodians, Path scratch,
		@DefaultValue("P7Y") Period reportRetention) {

}
