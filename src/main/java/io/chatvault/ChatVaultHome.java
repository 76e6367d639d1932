package io.chatvault;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The data directory of a ChatVault installation ({@code chatvault.home}, environment
 * {@code CHATVAULT_HOME}, default {@code ./chatvault-data}). The embedded default keeps
 * everything under it: the PostgreSQL data, the filesystem object store and its replica,
 * and the keystore.
 *
 * @param home the directory
 */
@ConfigurationProperties("chatvault")
public record ChatVaultHome(@DefaultValue("chatvault-data") Path home) {

	public ChatVaultHome {
		home = home.toAbsolutePath().normalize();
	}

	/**
	 * A path below the home directory.
	 * @param first the first name
	 * @param more further names
	 * @return the resolved path
	 */
	public Path resolve(String first, String... more) {
		Path path = this.home.resolve(first);
		for (String name : more) {
			path = path.resolve(name);
		}
		return path;
	}

}
