package io.chatvault.database;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Wraps every Hikari pool of the context, ChatVault's own or Boot's (from
 * {@code spring.datasource.*}), in a {@link FailFastDataSource}.
 */
@Component
class FailFastDataSources implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		return (bean instanceof HikariDataSource pool) ? new FailFastDataSource(pool) : bean;
	}

}
