package io.chatvault.export;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Export settings ({@code chatvault.export.*}).
 *
 * @param rsmfMaxEvents events per RSMF file at most (Relativity's limit: 10,000)
 * @param rsmfMaxBytes an RSMF file stays under this many bytes (Relativity's limit: 2 GB)
 */
@ConfigurationProperties("chatvault.export")
public record ExportProperties(@DefaultValue("10000") int rsmfMaxEvents,
		@DefaultValue("1900000000") long rsmfMaxBytes) {
}
