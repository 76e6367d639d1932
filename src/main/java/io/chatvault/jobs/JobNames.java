package io.chatvault.jobs;

import java.util.Iterator;

/**
 * The catalogued job names, for {@code chatvault run --help} and shell completion of
 * {@code chatvault run <TAB>}. Read from the catalogue files when asked, with no Spring
 * context, so that help never needs one.
 */
class JobNames implements Iterable<String> {

	@Override
	public Iterator<String> iterator() {
		return JobCatalogFiles.load().keySet().iterator();
	}

}
