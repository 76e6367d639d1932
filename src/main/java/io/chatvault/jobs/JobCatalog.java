package io.chatvault.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.chatvault.cli.UsageException;

/**
 * The jobs this ChatVault can run: each described once in the catalogue
 * ({@code src/main/resources/jobs/<name>.yaml}, read and checked when this bean is
 * created, see {@link JobDescription}) and built as a {@link Job} bean of the same name
 * by its feature. Restarts find earlier runs by that name.
 * <p>
 * Listing or describing jobs reads only the files; {@link #find} creates the job beans,
 * which need the job repository and so the database.
 */
@Component
public class JobCatalog {

	private final ObjectProvider<Job> jobs;

	private final Map<String, JobDescription> descriptions;

	JobCatalog(ObjectProvider<Job> jobs) {
		this.jobs = jobs;
		this.descriptions = JobCatalogFiles.load();
	}

	/**
	 * The job bean of that name.
	 * @param name a job name
	 * @return the job, if one is built by that name
	 */
	public Optional<Job> find(String name) {
		return this.jobs.stream().filter((job) -> job.getName().equals(name)).findFirst();
	}

	/**
	 * The names of the catalogued jobs.
	 * @return the names, sorted
	 */
	public SortedSet<String> names() {
		return new TreeSet<>(this.descriptions.keySet());
	}

	/**
	 * Every catalogued job, by name.
	 * @return the descriptions, sorted by name
	 */
	public Collection<JobDescription> descriptions() {
		return this.descriptions.values();
	}

	/**
	 * The description of a job.
	 * @param name a job name
	 * @return its description
	 * @throws UsageException for a job that is not in the catalogue
	 */
	public JobDescription describe(String name) {
		JobDescription description = this.descriptions.get(name);
		if (description == null) {
			throw new UsageException(
					"unknown job '" + name + "' (known jobs: " + String.join(", ", this.descriptions.keySet()) + ")");
		}
		return description;
	}

	/**
	 * What does not match between the catalogue and the job beans: a job built without a
	 * file, or a file without a job. Creates every job bean (so it needs the database).
	 * @return one line per mismatch; empty when they match
	 */
	public List<String> mismatches() {
		List<String> mismatches = new ArrayList<>();
		SortedSet<String> built = new TreeSet<>();
		this.jobs.forEach((job) -> built.add(job.getName()));
		for (String name : built) {
			if (!this.descriptions.containsKey(name)) {
				mismatches.add("job " + name + " has no catalogue file " + "src/main/resources/jobs/" + name + ".yaml");
			}
		}
		for (String name : this.descriptions.keySet()) {
			if (!built.contains(name)) {
				mismatches.add("jobs/" + name + ".yaml describes a job that no Job bean builds");
			}
		}
		return mismatches;
	}

}
