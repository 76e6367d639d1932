package io.chatvault.jobs;

import java.util.Iterator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The catalogued job names, for shell completion of {@code chatvault run <TAB>}. Read
 * from the catalogue only when the completion script is generated.
 */
@Component
class JobNames implements Iterable<String> {

	private final ObjectProvider<JobCatalog> catalog;

	JobNames(ObjectProvider<JobCatalog> catalog) {
		this.catalog = catalog;
	}

	@Override
	public Iterator<String> iterator() {
		return this.catalog.getObject().names().iterator();
	}

}
