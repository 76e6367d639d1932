package io.chatvault.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.chatvault.testsupport.TestDatabase;

/** Spring properties that point the foundation's tests at a test database. */
final class JobsTestProperties {

	private JobsTestProperties() {
	}

	static void database(DynamicPropertyRegistry registry, TestDatabase.Coordinates database) {
		of(database).forEach((key, value) -> registry.add(key, () -> value));
	}

	static Map<String, String> of(TestDatabase.Coordinates database) {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String property : database.springProperties()) {
			int eq = property.indexOf('=');
			properties.put(property.substring(0, eq), property.substring(eq + 1));
		}
		return properties;
	}

}
