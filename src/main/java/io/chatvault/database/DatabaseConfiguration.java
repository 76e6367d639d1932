package io.chatvault.database;

import com.zaxxer.hikari.HikariDataSource;

import io.chatvault.ChatVaultHome;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Chooses ChatVault's PostgreSQL. {@code spring.datasource.url} wins when set (Spring
 * Boot configures the pool and this configuration backs off); else
 * {@code chatvault.db.url}; else the embedded server in {@code CHATVAULT_HOME/postgres},
 * started on first use and stopped when the last process using it exits.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ DatabaseProperties.class, ChatVaultHome.class })
@Conditional(DatabaseConfiguration.NoSpringDataSourceUrl.class)
class DatabaseConfiguration {

	@Bean(destroyMethod = "close")
	HikariDataSource dataSource(DatabaseProperties properties, ChatVaultHome home) {
		if (properties.external()) {
			return pool(new HikariDataSource(), properties.url(), properties.user(), properties.password());
		}
		EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home.resolve("postgres"),
				properties.embedded().port(), properties.embedded().startupTimeout());
		return pool(new EmbeddedDataSource(server), server.jdbcUrl("postgres"), server.user(), "");
	}

	private static HikariDataSource pool(HikariDataSource dataSource, String url, String user, String password) {
		dataSource.setPoolName("chatvault");
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(user);
		dataSource.setPassword(password);
		// Fail fast with one readable line when the server is down, rather than wait 30
		// s.
		dataSource.setConnectionTimeout(10_000);
		// Jobs run up to two partitions per core (the migration), each of which can hold
		// two connections at once (its chunk's transaction and the short transactions of
		// data keys, holders and originals), plus the job repository's.
		dataSource.setMaximumPoolSize(poolSize(Runtime.getRuntime().availableProcessors()));
		return dataSource;
	}

	/**
	 * The pool's size on a machine: two connections for each of two partitions per core,
	 * and two more; at least Hikari's default of 10.
	 * @param cores the available cores
	 * @return the maximum pool size
	 */
	static int poolSize(int cores) {
		return Math.max(10, 4 * cores + 2);
	}

	/** A pool that leaves the embedded server when it closes. */
	static final class EmbeddedDataSource extends HikariDataSource {

		private final EmbeddedPostgresServer server;

		EmbeddedDataSource(EmbeddedPostgresServer server) {
			this.server = server;
		}

		@Override
		public void close() {
			try {
				super.close();
			}
			finally {
				this.server.close();
			}
		}

	}

	/** Matches when {@code spring.datasource.url} is not set. */
	static final class NoSpringDataSourceUrl implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
		}

	}

}
